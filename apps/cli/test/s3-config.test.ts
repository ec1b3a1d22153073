import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { hookEvent, runCli, runHook, tempProject } from './helpers/cli.js';

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'runbook-test',
  AWS_SECRET_ACCESS_KEY: 'runbook-test-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

const cases = [
  { name: 'no bucket', s3: ['region: us-east-1'], message: 'integrations.claude.sessionStorage.s3.bucket: is required' },
  { name: 'a malformed endpoint', s3: ['bucket: logs', 'endpoint: minio.internal:9000'], message: 'integrations.claude.sessionStorage.s3.endpoint: must be an http:// or https:// URL, got "minio.internal:9000"' },
  { name: 'an unknown region', s3: ['bucket: logs', 'region: us-eats-1'], message: 'integrations.claude.sessionStorage.s3.region: "us-eats-1" is not an AWS region' },
];

for (const c of cases) {
  test(`backend: s3 with ${c.name}: one clear line from the hook (which keeps the event locally) and from sync`, async () => {
    const p = tempProject();
    try {
      p.config(['integrations:', '  claude:', '    sessionStorage:', '      backend: s3', '      s3:', ...c.s3.map((l) => `        ${l}`), ''].join('\n'));
      const file = path.join(p.dir, '.runbook', 'config.yaml');
      const hook = await runHook(p.dir, hookEvent('bad-config', 'Stop'), [], AWS_ENV);
      expect(hook.code).toBe(0);
      expect(hook.stdout).toBe('');
      const lines = hook.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`runbook: ${file}: ${c.message}`);
      expect(readFileSync(path.join(p.dir, '.runbook/hooks/claude/sessions/bad-config/events.ndjson'), 'utf8')).toContain('"Stop"');

      const sync = await runCli(['integrations', 'claude', 'sync'], { cwd: p.dir, env: { ...AWS_ENV, CLAUDE_PROJECT_DIR: p.dir } });
      expect(sync.code).toBe(1);
      expect(sync.stdout).toBe('');
      expect(sync.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(`runbook: ${file}: ${c.message}`)]);
    } finally {
      p.cleanup();
    }
  });
}
