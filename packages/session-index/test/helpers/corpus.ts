import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRecord, type SessionBackend, type StoredRecord } from '@runbook/storage-core';

export function tempProject(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'runbook-index-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Builds one session's events in order, a minute apart. */
export class SessionScript {
  readonly records: StoredRecord[] = [];
  private at: number;
  constructor(
    readonly sessionId: string,
    start: string,
  ) {
    this.at = Date.parse(start);
  }

  private push(eventName: string, payload: Record<string, unknown>): this {
    this.at += 60_000;
    this.records.push(
      createRecord({
        sessionId: this.sessionId,
        eventName,
        observedAt: new Date(this.at),
        cwd: '/srv/shop',
        payload: { session_id: this.sessionId, hook_event_name: eventName, ...payload },
      }),
    );
    return this;
  }

  prompt(text: string): this {
    return this.push('UserPromptSubmit', { prompt: text });
  }

  /** A Bash command that succeeded, with its output. */
  ran(command: string, stdout = ''): this {
    this.push('PreToolUse', { tool_name: 'Bash', tool_input: { command } });
    return this.push('PostToolUse', {
      tool_name: 'Bash',
      tool_input: { command },
      tool_response: { stdout, stderr: '', interrupted: false },
    });
  }

  /** A Bash command that failed (PostToolUseFailure with `error`). */
  failed(command: string, error: string): this {
    this.push('PreToolUse', { tool_name: 'Bash', tool_input: { command } });
    return this.push('PostToolUseFailure', { tool_name: 'Bash', tool_input: { command }, error });
  }

  /** A Bash command whose response reports a non-zero exit code (PostToolUse with error state). */
  exited(command: string, code: number, stderr: string): this {
    return this.push('PostToolUse', {
      tool_name: 'Bash',
      tool_input: { command },
      tool_response: { stdout: '', stderr, exit_code: code },
    });
  }

  edited(filePath: string, text: string): this {
    return this.push('PostToolUse', {
      tool_name: 'Edit',
      tool_input: { file_path: filePath, old_string: 'a', new_string: text },
      tool_response: { filePath, success: true },
    });
  }

  async store(backend: SessionBackend): Promise<void> {
    for (const record of this.records) await backend.append(record);
  }
}

/**
 * The incident: billing-stripe cannot reach ledger-db (ECONNREFUSED) after a values-staging.yaml change;
 * the fix is restoring the DB host in the values file and re-deploying. Each occurrence differs in IP,
 * port-forward pod name, timestamps and request id, as real repeats do.
 */
export function incidentSession(
  sessionId: string,
  start: string,
  variant: { ip: string; pod: string; requestId: string },
): SessionScript {
  return new SessionScript(sessionId, start)
    .prompt('billing-stripe pods crash after the staging deploy, checkout payments fail')
    .ran('kubectl get pods -n payments', `NAME READY STATUS\n${variant.pod} 0/1 CrashLoopBackOff`)
    .failed(
      'kubectl rollout status deploy/billing-stripe -n payments',
      `Waiting for deployment "billing-stripe" rollout to finish\nerror: pod ${variant.pod} failed: Error: connect ECONNREFUSED ${variant.ip}:5432 (request ${variant.requestId})`,
    )
    .ran('grep -n host deploy/values-staging.yaml', 'db:\n  host: ledger-db-old')
    .edited('/srv/shop/deploy/values-staging.yaml', 'host: ledger-db.payments.svc')
    .ran(
      'helm upgrade billing-stripe ./charts/billing-stripe -f deploy/values-staging.yaml',
      'Release "billing-stripe" has been upgraded',
    )
    .ran(
      'kubectl rollout status deploy/billing-stripe -n payments',
      'deployment "billing-stripe" successfully rolled out',
    );
}

/** Sessions about other things, some with failures of their own. */
export function noiseSessions(): SessionScript[] {
  return [
    new SessionScript('noise-frontend', '2026-11-02T09:00:00Z')
      .prompt('the storefront build is slow, speed up the webpack config')
      .ran('npm run build', 'webpack compiled with 2 warnings')
      .edited('/srv/shop/web/webpack.config.js', 'cache: true'),
    new SessionScript('noise-auth', '2026-11-05T09:00:00Z')
      .prompt('auth-proxy returns 401 for service tokens')
      .failed(
        'curl -sf http://auth-proxy:8080/healthz',
        'curl: (22) The requested URL returned error: 401 Unauthorized',
      )
      .ran('kubectl rollout restart deploy/auth-proxy -n edge', 'deployment.apps/auth-proxy restarted')
      .ran('curl -sf http://auth-proxy:8080/healthz', 'ok'),
    new SessionScript('noise-disk', '2026-11-07T09:00:00Z')
      .prompt('search-indexer is out of disk')
      .exited('df -h /var/lib/indexer', 1, 'df: /var/lib/indexer: No such file or directory')
      .ran('kubectl exec search-indexer-0 -- df -h /data', '/data 98% used'),
    new SessionScript('noise-terraform', '2026-11-09T09:00:00Z')
      .prompt('terraform plan fails on the vpc module')
      .failed(
        'terraform plan -var-file=prod.tfvars',
        'Error: Invalid value for variable "cidr_block": 10.300.0.0/16 is not a valid CIDR',
      )
      .edited('/srv/infra/prod.tfvars', 'cidr_block = "10.30.0.0/16"')
      .ran('terraform plan -var-file=prod.tfvars', 'Plan: 2 to add, 0 to change, 0 to destroy.'),
    new SessionScript('noise-connection', '2026-11-11T09:00:00Z')
      .prompt('the refused connections dashboard shows a spike on the cache')
      .ran('redis-cli -h cache info clients', 'connected_clients:4000\nrejected_connections:12'),
  ];
}

export const INCIDENTS = [
  {
    id: 'incident-a',
    start: '2026-11-01T10:00:00Z',
    variant: { ip: '10.0.3.17', pod: 'billing-stripe-7d9f8b6c5d-x2k9p', requestId: 'req_8f7a6b5c4d3e2f1a0b9c' },
  },
  {
    id: 'incident-b',
    start: '2026-11-08T22:30:00Z',
    variant: { ip: '10.0.7.201', pod: 'billing-stripe-5c8d7f9b4-m4n7q', requestId: 'req_1a2b3c4d5e6f7a8b9c0d' },
  },
  {
    id: 'incident-c',
    start: '2026-11-20T03:15:00Z',
    variant: { ip: '10.0.12.5', pod: 'billing-stripe-6b7c9d8f5-b8z2w', requestId: 'req_9c8b7a6f5e4d3c2b1a0f' },
  },
];
