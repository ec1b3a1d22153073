import type { SessionBackend } from '../backend/contract.js';

/** The part of a test runner the suite needs; vitest's and node:test's `test` both fit. */
export type SuiteTest = (name: string, fn: (context: SuiteTestContext) => Promise<void>, timeout?: number) => unknown;

/** vitest passes a context whose `skip()` marks the running test skipped; other runners may not. */
export interface SuiteTestContext {
  skip?: (note?: string) => void;
}

/** Makes a fresh, empty, isolated backend for each test. */
export type BackendFactory = () => SessionBackend | Promise<SessionBackend>;

/** An optional capability a test needs: a method the backend may lack, or the `listDetails` promise. */
export type Capability =
  | 'list'
  | 'listDetails'
  | 'delete'
  | 'compact'
  | 'appendTranscript'
  | 'appendBatch'
  | 'describe'
  | 'probe';

/** Registers one test against a fresh backend; one that needs a capability the backend lacks is skipped. */
export type SuiteCase = (name: string, fn: (backend: SessionBackend) => Promise<void>, needs?: Capability) => void;

function has(backend: SessionBackend, capability: Capability): boolean {
  if (capability === 'listDetails') return typeof backend.list === 'function' && backend.listDetails === true;
  return typeof backend[capability] === 'function';
}

export function suiteCase(test: SuiteTest, factory: BackendFactory, prefix: string, timeout: number): SuiteCase {
  return (name, fn, needs) => {
    test(
      `${prefix}${name}`,
      async (context) => {
        const backend = await factory();
        try {
          if (needs && !has(backend, needs)) {
            context?.skip?.(`${backend.name} has no ${needs === 'listDetails' ? 'list details' : `${needs}()`}`);
            return;
          }
          await fn(backend);
        } finally {
          await backend.close?.();
        }
      },
      timeout,
    );
  };
}
