import type { AppendOutcome } from '../backend/contract.js';
import { RunbookError, describeError } from '../errors.js';

class BudgetSpent extends Error {
  constructor() {
    super('time budget spent');
  }
}

function withinBudget<T>(promise: Promise<T>, ms: number): Promise<T> {
  if (ms <= 0) return Promise.reject(new BudgetSpent());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BudgetSpent()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface SpooledUpload {
  /** The outbox entry holding the item, or undefined when spooling it failed (`spoolError`). */
  entry: string | undefined;
  spoolError: unknown;
  /** The primary's append, already started. */
  upload: Promise<AppendOutcome>;
  /** The mirrors' writes, already started; awaited before settling. */
  mirrored: Promise<unknown>;
  budgetMs: number;
  primaryName: string;
  /** Drop the outbox entry once the primary has the item. */
  remove: (entry: string) => void;
}

/** How an upload ended: the primary's outcome, or the item left waiting in the outbox. */
export type UploadSettlement = { outcome: AppendOutcome } | { outcome?: undefined; error: unknown; timedOut: boolean };

/**
 * Wait for an item's upload within the budget, shared by events and transcript chunks. Once the primary has
 * it, the outbox entry goes; when it failed or ran out of time, the entry stays for `sync` or the drainer.
 * Throws only when the item is neither in the outbox nor uploaded (it would be lost), naming both causes.
 */
export async function settleUpload(item: SpooledUpload): Promise<UploadSettlement> {
  item.upload.catch(() => {});
  let outcome: AppendOutcome | undefined;
  let uploadError: unknown;
  try {
    outcome = await withinBudget(item.upload, item.budgetMs);
  } catch (error) {
    uploadError = error;
  }
  await item.mirrored;
  if (outcome !== undefined) {
    if (item.entry !== undefined) item.remove(item.entry);
    return { outcome };
  }
  const timedOut = uploadError instanceof BudgetSpent;
  if (item.entry === undefined) {
    throw new RunbookError(
      'STORAGE_WRITE_FAILED',
      `${describeError(item.spoolError)}; upload to ${item.primaryName} also failed: ${timedOut ? 'time budget spent' : describeError(uploadError)}`,
      { cause: uploadError },
    );
  }
  return { error: uploadError, timedOut };
}
