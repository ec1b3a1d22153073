import type { LearnOptions } from './command.js';
import { findSeenBefore } from './seen-before.js';

/**
 * What the agent, its subagents and the user said, from the session's archived transcript (when the backend
 * keeps transcripts and one is archived); thinking is never read. A transcript that cannot be read is a note.
 */
async function transcriptStatements(
  store: import('@runbook/storage-core').SessionBackend,
  sessionId: string,
  notes: string[],
): Promise<import('@runbook/learning-bridge').AgentStatement[]> {
  if (!store.readTranscript) return [];
  const { readArchivedTranscript, describeError } = await import('@runbook/storage-core');
  const { statementsFromTranscript } = await import('@runbook/learning-bridge');
  try {
    return await statementsFromTranscript(readArchivedTranscript(store, sessionId));
  } catch (error) {
    notes.push(`the archived transcript could not be read (${describeError(error)}); only the hook events were used`);
    return [];
  }
}

export async function runLearn(sessionId: string, opts: LearnOptions): Promise<number> {
  const path = await import('node:path');
  const { RunbookError, isRunbookError } = await import('@runbook/storage-core');
  const { loadContext, displayPath } = await import('../../shared/context.js');
  const { openStore } = await import('../../shared/store.js');
  const { describeContextStorage } = await import('../../shared/storage-description.js');
  const bridge = await import('@runbook/learning-bridge');

  const context = await loadContext(opts.projectDir ? { projectDir: opts.projectDir } : {});
  const show = (p: string) => displayPath(context, p);
  const settings = bridge.parseLlmSettings(context.config.document, context.config.file);
  if (settings.provider === 'anthropic') {
    // The project's config may not choose where the API key and the session go: see docs/security.md.
    const { loadUserConfig, llmBaseUrlOf, userConfigFile } = await import('../../shared/user-config.js');
    const user = await loadUserConfig(context.env);
    const userBaseUrl = llmBaseUrlOf(user.document);
    if (userBaseUrl !== undefined)
      bridge.parseLlmSettings(
        { llm: { provider: 'anthropic', model: settings.model, baseUrl: userBaseUrl } },
        user.file,
      );
    const baseUrl = bridge.trustedLlmBaseUrl({
      env: context.env,
      ...(userBaseUrl !== undefined ? { user: userBaseUrl } : {}),
      ...(settings.baseUrl !== undefined ? { project: settings.baseUrl } : {}),
      ...(context.config.file ? { projectFile: context.config.file } : {}),
      userFile: userConfigFile(),
    });
    if (baseUrl === undefined) delete settings.baseUrl;
    else settings.baseUrl = baseUrl;
  }
  const { drafter, notes } = bridge.drafterFromSettings(settings, context.env);
  const { outputRedaction } = await import('../../shared/output-redaction.js');
  const redaction = outputRedaction(context);
  const seenBefore = await findSeenBefore(context, sessionId, notes);
  const store = await openStore(context);
  const readIssues: import('@runbook/storage-core').ReadIssue[] = [];
  const statements = await transcriptStatements(store, sessionId, notes);
  let result: Awaited<ReturnType<typeof bridge.learnFromSession>>;
  try {
    result = await bridge.learnFromSession({
      records: store.read(sessionId, { onIssue: (issue) => readIssues.push(issue) }),
      sessionId,
      projectDir: context.projectDir,
      ...(opts.out ? { outDir: path.resolve(opts.out) } : {}),
      ...(opts.incidentId ? { incidentId: opts.incidentId } : {}),
      ...(opts.query ? { query: opts.query } : {}),
      applyRunbookUpdates: opts.applyRunbookUpdates === true,
      ...(opts.runbook ? { runbook: opts.runbook } : {}),
      drafter,
      notes,
      readIssues,
      redact: redaction.text,
      ...(seenBefore.length > 0 ? { seenBefore } : {}),
      ...(statements.length > 0 ? { statements } : {}),
    });
  } catch (error) {
    if (isRunbookError(error, 'SESSION_NOT_FOUND')) {
      throw new RunbookError(
        'SESSION_NOT_FOUND',
        `session ${sessionId} not found in ${(await describeContextStorage(context)).location} (backend: ${context.config.sessionStorage.backend})`,
      );
    }
    throw error;
  } finally {
    await store.close?.().catch(() => {});
  }

  const { artifacts, headline, investigation } = result;
  if (opts.json) {
    const payload = {
      sessionId: investigation.sessionId,
      investigationId: investigation.id,
      incidentId: investigation.incidentId,
      kind: investigation.kind,
      drafter: result.drafter,
      notes: result.notes,
      headline,
      confidence: investigation.confidence,
      artifacts,
      applied: result.applied,
    };
    process.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  const document = artifacts.postmortem ?? artifacts.summary;
  lines.push(`${artifacts.postmortem ? 'Postmortem' : 'Summary'}: ${document ? show(document) : 'none'}`);
  lines.push(`  ${headline.title}`);
  lines.push(
    `  Kind: ${headline.kind} (${investigation.kindReasons.slice(0, 2).join('; ') || 'no evidence either way'})`,
  );
  lines.push(`  Root cause: ${headline.rootCause}`);
  if (headline.failingCommands.length === 0) lines.push('  Failing commands: none');
  else {
    lines.push('  Failing commands:');
    const shown = 5;
    for (const failed of headline.failingCommands.slice(0, shown)) lines.push(`    - ${failed}`);
    if (headline.failingCommands.length > shown)
      lines.push(
        `    … and ${headline.failingCommands.length - shown} more (see the ${artifacts.postmortem ? 'postmortem' : 'summary'})`,
      );
  }
  lines.push(`  Fix: ${headline.fix}`);
  lines.push(`  Verified by: ${headline.verification}`);
  lines.push(`  Confidence: ${headline.confidence}`);
  lines.push(`Artifacts in ${show(artifacts.dir)}:`);
  const inDir = (p: string) => path.relative(artifacts.dir, p);
  lines.push(`  ${inDir(artifacts.knowledgeSuggestions)} (${result.knowledgeSuggestions.length} suggestion(s))`);
  lines.push(`  ${inDir(artifacts.investigation)}`);
  for (const file of [...artifacts.runbookUpdates, ...artifacts.knowledge]) lines.push(`  ${inDir(file)}`);
  if (opts.applyRunbookUpdates) {
    if (result.applied.length === 0) lines.push('Runbooks: no runbook update to apply');
    else
      for (const applied of result.applied)
        if (applied.action !== 'not-applied') lines.push(`Runbook ${applied.action}: ${show(applied.file)}`);
  }
  lines.push(`Drafter: ${result.drafter}`);
  for (const note of result.notes) lines.push(`Note: ${note}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
