import { describe, expect, it } from 'vitest';
import { fingerprintId, normalizeError } from '../src/index.js';

describe('error fingerprints', () => {
  it('masks numbers, IPs and ports', () => {
    expect(normalizeError('Error: connect ECONNREFUSED 10.0.3.17:5432')).toBe('Error: connect ECONNREFUSED <ip>:<n>');
    expect(normalizeError('curl: (28) Operation timed out after 30001 milliseconds')).toBe(
      'curl: (<n>) Operation timed out after <n> milliseconds',
    );
  });

  it('masks timestamps, uuids, hex hashes and long ids', () => {
    expect(
      normalizeError(
        '2026-11-20T03:15:42.123Z job 3f2a9c1e-8b7d-4c6a-9e5f-0a1b2c3d4e5f failed at commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
      ),
    ).toBe('<time> job <uuid> failed at commit <hex>');
    expect(normalizeError('[14:03:22] request req_8f7a6b5c4d3e2f1a0b9c rejected')).toBe(
      '[<time>] request <id> rejected',
    );
    expect(normalizeError('segfault at addr=0x7ffd5e3b1a40')).toBe('segfault at addr=<hex>');
  });

  it('masks pod and replica-set suffixes but keeps the workload name', () => {
    expect(normalizeError('pod billing-stripe-7d9f8b6c5d-x2k9p failed')).toBe('pod billing-stripe-<pod> failed');
    expect(normalizeError('pod billing-stripe-5c8d7f9b4-m4n7q failed')).toBe('pod billing-stripe-<pod> failed');
    expect(normalizeError('replicaset billing-stripe-7d9f8b6c5d is unavailable')).toBe(
      'replicaset billing-stripe-<rs> is unavailable',
    );
    // Ordinary hyphenated words are not pod names.
    expect(normalizeError('values-staging check-health failed')).toBe('values-staging check-health failed');
  });

  it('masks the temporary part of paths', () => {
    expect(normalizeError('open /tmp/tmp.Xa81kQ2/out.json: no such file')).toBe(
      'open /tmp/<tmp>/out.json: no such file',
    );
    expect(normalizeError('cannot write /var/folders/7x/k2v9q_4s1/T/build-8812/index.js')).toBe(
      'cannot write <tmp>/index.js',
    );
  });

  it('gives two occurrences of one failure the same id, and different failures different ids', () => {
    const a = normalizeError(
      'error: pod billing-stripe-7d9f8b6c5d-x2k9p failed: Error: connect ECONNREFUSED 10.0.3.17:5432 (request req_8f7a6b5c4d3e2f1a0b9c)',
    );
    const b = normalizeError(
      'error: pod billing-stripe-6b7c9d8f5-b8z2w failed: Error: connect ECONNREFUSED 10.0.12.5:5432 (request req_9c8b7a6f5e4d3c2b1a0f)',
    );
    const c = normalizeError(
      'error: pod billing-stripe-6b7c9d8f5-b8z2w failed: Error: getaddrinfo ENOTFOUND ledger-db',
    );
    expect(a).toBe(b);
    expect(fingerprintId(a)).toBe(fingerprintId(b));
    expect(fingerprintId(a)).not.toBe(fingerprintId(c));
    expect(fingerprintId(a)).toMatch(/^fp-[0-9a-f]{10}$/);
  });
});
