import { programWords, splitShellSegments, type ShellSegment } from './shell.js';

/** Flags of kubectl/helm that take a separate value word. */
const VALUE_FLAGS = new Set([
  '-n',
  '--namespace',
  '--context',
  '--kubeconfig',
  '--cluster',
  '--user',
  '-s',
  '--server',
  '--token',
  '-l',
  '--selector',
  '-c',
  '--container',
  '-f',
  '--filename',
  '-o',
  '--output',
  '--tail',
  '--since',
  '--timeout',
  '--to-revision',
  '-p',
  '--field-selector',
  '--kube-context',
  '--set',
  '--values',
  '--version',
  '-i',
  '--image',
]);

/** Positional words after the program, flags and their values removed. */
export function positionals(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-')) {
      if (!a.includes('=') && VALUE_FLAGS.has(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** The value of a flag (`-n x`, `--namespace x`, `--namespace=x`), every occurrence. */
export function flagValues(args: string[], names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const name of names) {
      if (a === name && i + 1 < args.length) out.push(args[i + 1]!);
      else if (a.startsWith(`${name}=`)) out.push(a.slice(name.length + 1));
    }
  }
  return out;
}

const KUBECTL_MUTATING = new Set([
  'apply',
  'create',
  'delete',
  'patch',
  'edit',
  'replace',
  'scale',
  'autoscale',
  'set',
  'label',
  'annotate',
  'cordon',
  'uncordon',
  'drain',
  'taint',
  'expose',
  'run',
]);
const ROLLOUT_MUTATING = new Set(['undo', 'restart', 'resume', 'pause']);
const HELM_MUTATING = new Set(['install', 'upgrade', 'rollback', 'uninstall', 'delete']);
const TERRAFORM_MUTATING = new Set(['apply', 'destroy', 'import', 'taint', 'untaint']);
const DOCKER_MUTATING = new Set([
  'run',
  'restart',
  'stop',
  'start',
  'rm',
  'kill',
  'up',
  'down',
  'update',
  'scale',
  'rollback',
]);
const SYSTEMCTL_MUTATING = new Set([
  'restart',
  'start',
  'stop',
  'reload',
  'enable',
  'disable',
  'kill',
  'try-restart',
  'reload-or-restart',
]);
const GIT_MUTATING = new Set([
  'commit',
  'push',
  'revert',
  'merge',
  'reset',
  'cherry-pick',
  'rebase',
  'tag',
  'apply',
  'am',
]);
const FILE_MUTATING = new Set([
  'mv',
  'cp',
  'rm',
  'mkdir',
  'chmod',
  'chown',
  'ln',
  'tee',
  'truncate',
  'touch',
  'rmdir',
  'install',
  'kill',
  'pkill',
  'killall',
]);
const CLOUD_VERB =
  /(^|-)(update|put|create|delete|modify|start|stop|reboot|terminate|invalidate|scale|set|register|deregister|attach|detach|deploy|restart|resize|rollback|enable|disable|promote|failover|reset|restore)(-|$)/;
const SQL_WRITE = /\b(update|insert|delete|alter|drop|create|truncate|grant|revoke|vacuum|reindex)\b/i;
const SCRIPT_ACTION = /(deploy|rollback|roll-back|restart|migrate|failover|fix|repair|scale|promote|revert)/i;

/** `git config <key> <value>`, `--unset`, `--add`: a change; `--get`, `--list`, a key alone: a read. */
function gitConfigSets(args: string[], pos: string[]): boolean {
  if (args.some((a) => /^(--get|--get-all|--get-regexp|--list|-l|--show-origin)$/.test(a))) return false;
  if (args.some((a) => /^(--unset|--unset-all|--add|--replace-all|--remove-section|--rename-section)$/.test(a)))
    return true;
  return pos.length >= 3;
}

function segmentMutates(segment: ShellSegment): boolean {
  const [program, ...args] = programWords(segment.words);
  if (!program) return false;
  if (segment.redirects.some((target) => !target.startsWith('/dev/'))) return true;
  const pos = positionals(args);
  const verb = pos[0];
  switch (program) {
    case 'kubectl':
    case 'oc':
      if (verb === 'rollout') return ROLLOUT_MUTATING.has(pos[1] ?? '');
      if (verb === 'config') return /^(set|set-.+|use-context|delete-.+|rename-context|unset)$/.test(pos[1] ?? '');
      return verb !== undefined && KUBECTL_MUTATING.has(verb);
    case 'helm':
      return verb !== undefined && HELM_MUTATING.has(verb);
    case 'terraform':
    case 'tofu':
    case 'terragrunt':
      return verb !== undefined && TERRAFORM_MUTATING.has(verb);
    case 'docker':
    case 'podman':
    case 'docker-compose':
      return pos.some((p) => DOCKER_MUTATING.has(p));
    case 'systemctl':
    case 'service':
      return pos.some((p) => SYSTEMCTL_MUTATING.has(p));
    case 'git':
      if (verb === 'config') return gitConfigSets(args, pos);
      return verb !== undefined && GIT_MUTATING.has(verb);
    case 'aws':
    case 'gcloud':
    case 'az':
    case 'doctl':
    case 'flyctl':
      return pos.slice(1).some((p) => CLOUD_VERB.test(p));
    case 'sed':
    case 'perl':
      return args.some((a) => a === '-i' || a.startsWith('-i') || a === '--in-place');
    case 'psql':
    case 'mysql':
    case 'sqlite3':
    case 'cqlsh':
      return args.some((a) => SQL_WRITE.test(a));
    case 'redis-cli':
      return pos.some((p) => /^(set|del|flushall|flushdb|expire|hset|config)$/i.test(p));
    case 'curl':
    case 'http':
      return flagValues(args, ['-X', '--request']).some((m) => /^(POST|PUT|PATCH|DELETE)$/i.test(m));
    case 'npm':
    case 'pnpm':
    case 'yarn':
      if (verb === 'config') return /^(set|delete|rm)$/.test(pos[1] ?? '');
      if (
        verb === 'add' ||
        verb === 'install' ||
        verb === 'i' ||
        verb === 'remove' ||
        verb === 'uninstall' ||
        verb === 'rm'
      )
        return pos.length > 1;
      return verb === 'publish';
    case 'heroku':
      return verb === 'config:set' || verb === 'config:unset' || pos.slice(1).some((p) => CLOUD_VERB.test(p));
    case 'fly':
    case 'gh':
    case 'vercel':
      return (
        (verb === 'secrets' || verb === 'secret' || verb === 'env' || verb === 'variable') &&
        /^(set|add|rm|remove|delete|unset|import)$/.test(pos[1] ?? '')
      );
    case 'ansible-playbook':
    case 'flyway':
    case 'argocd':
    case 'kustomize':
      return program !== 'kustomize' || verb === 'edit';
    case 'make':
      return pos.some((p) => SCRIPT_ACTION.test(p));
    default:
      if (FILE_MUTATING.has(program)) return true;
      return /\.(sh|py)$/.test(program) && SCRIPT_ACTION.test(program);
  }
}

/** Whether a shell command changes something (a deploy, restart, config apply, file write...). */
export function isMutatingCommand(command: string): boolean {
  return splitShellSegments(command).some(segmentMutates);
}

/** Tools that change files when they succeed. */
export const EDITING_TOOLS = new Set(['Edit', 'MultiEdit', 'Write', 'NotebookEdit']);
