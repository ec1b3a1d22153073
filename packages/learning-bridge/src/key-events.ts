import type { Investigation } from './investigation-types.js';
import { UNKNOWN } from './investigation-types.js';
import { signalKey } from './signals.js';
import type { TimelineEvent } from './timeline-types.js';
import { brief } from './text.js';

/**
 * The events worth a line in a postmortem, at most `max`, in time order: prompts, failures, changes,
 * new errors, verification and the session's start and end come before routine reads.
 */
export function keyEvents(events: TimelineEvent[], investigation: Investigation, max = 40): TimelineEvent[] {
  const rootCauseId = investigation.rootCauseEvidence === UNKNOWN ? undefined : investigation.rootCauseEvidence.eventId;
  const resolution = investigation.resolution === UNKNOWN ? undefined : investigation.resolution;
  const changeIds = new Set(resolution?.steps.map((s) => s.eventId) ?? []);
  const checkIds = new Set(resolution?.verifiedBy.map((s) => s.eventId) ?? []);
  const seenSignals = new Set<string>();
  const scored = events.map((event, index) => {
    let score = 1;
    if (event.eventId === rootCauseId) score = 10;
    else if (changeIds.has(event.eventId)) score = 9;
    else if (event.phase === 'tool_failure') score = 8;
    else if (event.phase === 'prompt') score = 7;
    else if (event.mutating && event.phase === 'tool_call') score = 6.5;
    else if (event.phase === 'session_start' || event.phase === 'session_end') score = 6;
    else if (checkIds.has(event.eventId)) score = 5;
    else if (event.phase === 'conclusion') score = 3;
    else if (event.phase === 'notification' || event.phase === 'compaction') score = 0.5;
    const strong = event.signals?.filter((s) => s.weight >= 2) ?? [];
    const fresh = strong.filter((s) => !seenSignals.has(signalKey(s.text)));
    for (const s of strong) seenSignals.add(signalKey(s.text));
    if (fresh.length > 0 && score < 4) score = 4;
    return { event, index, score };
  });
  const chosen =
    scored.length <= max ? scored : [...scored].sort((a, b) => b.score - a.score || a.index - b.index).slice(0, max);
  return chosen.sort((a, b) => a.index - b.index).map((c) => c.event);
}

/** The line a postmortem shows for an event: its description plus the telling output line, if any. */
export function keyEventText(event: TimelineEvent): string {
  const top = event.signals?.[0];
  // A failure's description already carries its error; quote output only when it says something else.
  if (!top || top.weight < 2 || (event.phase === 'tool_failure' && event.error === top.text)) return event.description;
  return `${event.description} — output: "${brief(top.text, 200)}"`;
}
