import { describe, expect, it } from 'vitest';
import { renderSeenBefore } from '../src/index.js';

describe('Seen before section', () => {
  it('renders earlier sessions with shared evidence, fixes and write-ups, as inert redacted text', () => {
    const text = renderSeenBefore(
      [
        {
          sessionId: 'incident-a',
          lastSeen: '2026-11-01T10:05:00.000Z',
          score: 4.33,
          shared: ['error: connect ECONNREFUSED <ip>:<n>', 'service: billing-stripe'],
          fixes: ['Bash: helm upgrade billing-stripe --set token=sk-live-123 [click](http://x)'],
          artifacts: ['.runbook/learning/2026-11-01-incident-a/postmortem-a.md'],
        },
      ],
      (t) => t.replace(/sk-live-\d+/g, '[REDACTED]'),
    );
    expect(text.startsWith('## Seen before\n')).toBe(true);
    expect(text).toContain('- Session incident-a, 2026-11-01 (score 4.33)');
    expect(text).toContain('  - shared: error: connect ECONNREFUSED \\<ip\\>:\\<n\\>');
    expect(text).toContain('token=\\[REDACTED\\] \\[click\\](http://x)');
    expect(text).not.toContain('sk-live-123');
    expect(text).toContain('  - written up in .runbook/learning/2026-11-01-incident-a/postmortem-a.md');
  });

  it('is empty when there is nothing earlier', () => {
    expect(renderSeenBefore([])).toBe('');
  });
});
