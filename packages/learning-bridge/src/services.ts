import { flagValues, positionals } from './commands.js';
import { programWords, splitShellSegments } from './shell.js';

/** How a service name was found. */
export type ServiceEvidenceKind =
  | 'deployment'
  | 'workload'
  | 'label'
  | 'pod'
  | 'namespace'
  | 'helm-release'
  | 'unit'
  | 'container'
  | 'path'
  | 'runbook';

export interface ServiceMention {
  name: string;
  kind: ServiceEvidenceKind;
}

const WORKLOAD_KINDS = new Map<string, ServiceEvidenceKind>([
  ['deployment', 'deployment'],
  ['deployments', 'deployment'],
  ['deploy', 'deployment'],
  ['statefulset', 'workload'],
  ['statefulsets', 'workload'],
  ['sts', 'workload'],
  ['daemonset', 'workload'],
  ['daemonsets', 'workload'],
  ['ds', 'workload'],
  ['service', 'workload'],
  ['services', 'workload'],
  ['svc', 'workload'],
  ['cronjob', 'workload'],
  ['cronjobs', 'workload'],
  ['cj', 'workload'],
  ['job', 'workload'],
  ['jobs', 'workload'],
  ['rollout', 'workload'],
  ['rollouts', 'workload'],
  ['pod', 'pod'],
  ['pods', 'pod'],
  ['po', 'pod'],
]);
const POD_VERBS = new Set(['logs', 'exec', 'attach', 'port-forward', 'cp']);
const LABEL_KEYS = /^(app|app\.kubernetes\.io\/name|app\.kubernetes\.io\/instance|service|component|k8s-app|name)$/;

/** `payments-api-7d9f8b6c5-x2k4q` → `payments-api`; `ledger-0` → `ledger`. */
export function podToWorkload(pod: string): string {
  return pod
    .replace(/-[a-z0-9]{6,10}-[a-z0-9]{5}$/, '')
    .replace(/-[a-z0-9]{5}$/, '')
    .replace(/-\d+$/, '');
}

function validName(name: string): boolean {
  return /^[a-z0-9][a-z0-9._-]{0,62}$/i.test(name) && !/^\d+$/.test(name);
}

function kubectlMentions(args: string[], out: ServiceMention[]): void {
  for (const ns of flagValues(args, ['-n', '--namespace']))
    if (validName(ns)) out.push({ name: ns, kind: 'namespace' });
  for (const selector of flagValues(args, ['-l', '--selector'])) {
    for (const part of selector.split(',')) {
      const [key, value] = part.split(/==?/);
      if (key && value && LABEL_KEYS.test(key.trim()) && validName(value.trim()))
        out.push({ name: value.trim(), kind: 'label' });
    }
  }
  const pos = positionals(args);
  const verb = pos[0] ?? '';
  const rest = pos.slice(verb === 'rollout' || verb === 'set' ? 2 : 1);
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    const slash = word.indexOf('/');
    if (slash > 0) {
      const kind = WORKLOAD_KINDS.get(word.slice(0, slash).split('.')[0]!.toLowerCase());
      const name = word.slice(slash + 1);
      if (kind && validName(name))
        out.push(kind === 'pod' ? { name: podToWorkload(name), kind: 'pod' } : { name, kind });
      continue;
    }
    const kind = WORKLOAD_KINDS.get(word.toLowerCase());
    const next = rest[i + 1];
    if (kind && next && validName(next) && !next.includes('/')) {
      out.push(kind === 'pod' ? { name: podToWorkload(next), kind: 'pod' } : { name: next, kind });
      i++;
    } else if (POD_VERBS.has(verb) && i === 0 && validName(word)) {
      out.push({ name: podToWorkload(word), kind: 'pod' });
    }
  }
}

/** Service names a shell command names: kubectl namespaces, workloads, label selectors and pods; helm releases; units; containers. */
export function servicesInCommand(command: string): ServiceMention[] {
  const out: ServiceMention[] = [];
  for (const segment of splitShellSegments(command)) {
    const [program, ...args] = programWords(segment.words);
    if (program === 'kubectl' || program === 'oc') {
      kubectlMentions(args, out);
    } else if (program === 'helm') {
      for (const ns of flagValues(args, ['-n', '--namespace']))
        if (validName(ns)) out.push({ name: ns, kind: 'namespace' });
      const pos = positionals(args);
      if (['install', 'upgrade', 'rollback', 'uninstall', 'status', 'history', 'get'].includes(pos[0] ?? '')) {
        const release = pos[0] === 'get' ? pos[2] : pos[1];
        if (release && validName(release)) out.push({ name: release, kind: 'helm-release' });
      }
    } else if (program === 'systemctl' || program === 'journalctl') {
      const units = program === 'journalctl' ? flagValues(args, ['-u', '--unit']) : positionals(args).slice(1);
      for (const unit of units) {
        const name = unit.replace(/\.service$/, '');
        if (validName(name)) out.push({ name, kind: 'unit' });
      }
    } else if (program === 'docker' || program === 'podman') {
      const pos = positionals(args);
      if (
        ['logs', 'restart', 'stop', 'start', 'inspect', 'exec', 'kill'].includes(pos[0] ?? '') &&
        pos[1] &&
        validName(pos[1])
      ) {
        out.push({ name: pos[1], kind: 'container' });
      }
    }
  }
  return out;
}

const SERVICE_PARENTS = new Set([
  'services',
  'service',
  'apps',
  'k8s',
  'kubernetes',
  'charts',
  'helm',
  'manifests',
  'deployments',
  'deploy',
  'svc',
  'microservices',
]);

/** Service names in a file path: the directory right after `services/`, `k8s/`, `charts/`, `deploy/`... */
export function servicesInPath(filePath: string): ServiceMention[] {
  const parts = filePath.split(/[\\/]+/).filter(Boolean);
  const out: ServiceMention[] = [];
  for (let i = 0; i < parts.length - 2; i++) {
    const parent = parts[i]!.toLowerCase();
    const name = parts[i + 1]!;
    if (
      SERVICE_PARENTS.has(parent) &&
      !SERVICE_PARENTS.has(name.toLowerCase()) &&
      !name.includes('.') &&
      validName(name)
    ) {
      out.push({ name, kind: 'path' });
    }
  }
  return out;
}

/** Whether `name` appears in `text` as a whole word (dashes and dots count as part of words). */
export function mentionsName(text: string, name: string): boolean {
  if (!name) return false;
  const lower = text.toLowerCase();
  const needle = name.toLowerCase();
  let from = 0;
  for (;;) {
    const at = lower.indexOf(needle, from);
    if (at === -1) return false;
    const before = at === 0 ? '' : lower[at - 1]!;
    const after = lower[at + needle.length] ?? '';
    if (!/[a-z0-9_.-]/.test(before) && !/[a-z0-9_-]/.test(after)) return true;
    from = at + 1;
  }
}
