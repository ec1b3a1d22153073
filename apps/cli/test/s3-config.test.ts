import { readdirSync, readFileSync } from 'node:fs';
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
  {
    name: 'no bucket',
    s3: ['region: us-east-1'],
    message: 'integrations.claude.sessionStorage.s3.bucket: is required',
  },
  {
    name: 'a malformed endpoint',
    s3: ['bucket: logs', 'endpoint: minio.internal:9000'],
    message:
      'integrations.claude.sessionStorage.s3.endpoint: must be an http:// or https:// URL, got "minio.internal:9000"',
  },
  {
    name: 'an unknown region',
    s3: ['bucket: logs', 'region: us-eats-1'],
    message: 'integrations.claude.sessionStorage.s3.region: "us-eats-1" is not an AWS region',
  },
];

for (const c of cases) {
  test(`backend: s3 with ${c.name}: the hook keeps the event (it does not load the backend); sync and status say what is wrong in one line`, async () => {
    const p = tempProject();
    try {
      p.config(
        [
          'integrations:',
          '  claude:',
          '    sessionStorage:',
          '      backend: s3',
          '      s3:',
          ...c.s3.map((l) => `        ${l}`),
          '',
        ].join('\n'),
      );
      const file = path.join(p.dir, '.runbook', 'config.yaml');
      // No drainer: it would only retry the same broken section.
      p.config(
        [
          'integrations:',
          '  claude:',
          '    sessionStorage:',
          '      backend: s3',
          '      outbox:',
          '        background: false',
          '      s3:',
          ...c.s3.map((l) => `        ${l}`),
          '',
        ].join('\n'),
      );
      const hook = await runHook(p.dir, hookEvent('bad-config', 'Stop'), [], AWS_ENV);
      expect(hook).toMatchObject({ code: 0, stdout: '', stderr: '' });
      expect(
        readFileSync(path.join(p.dir, '.runbook/hooks/claude/sessions/bad-config/events.ndjson'), 'utf8'),
      ).toContain('"Stop"');
      expect(
        readdirSync(path.join(p.dir, '.runbook/hooks/claude/outbox')).filter((n) => n.endsWith('.json')),
      ).toHaveLength(1);

      const status = await runCli(['integrations', 'claude', 'status', '--json'], {
        cwd: p.dir,
        env: { ...AWS_ENV, CLAUDE_PROJECT_DIR: p.dir },
      });
      expect(status.code).toBe(1);
      expect(JSON.parse(status.stdout).problems).toEqual([expect.stringContaining(`${file}: ${c.message}`)]);

      const sync = await runCli(['integrations', 'claude', 'sync'], {
        cwd: p.dir,
        env: { ...AWS_ENV, CLAUDE_PROJECT_DIR: p.dir },
      });
      expect(sync.code).toBe(1);
      expect(sync.stdout).toBe('');
      expect(sync.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(`runbook: ${file}: ${c.message}`)]);
    } finally {
      p.cleanup();
    }
  });
}
