import type { GitHubBackendConfig } from './config.js';

/** One line telling the user what to change, from what a failed probe said. */
export function probeFix(
  message: string,
  config: Pick<GitHubBackendConfig, 'repository' | 'branch' | 'remoteUrl'>,
): string {
  if (/git is not installed/.test(message)) return 'install git (the github backend runs git over HTTPS)';
  if (/refused the token|HTTP 401/.test(message))
    return `set sessionStorage.github.token (usually \${GITHUB_TOKEN}) to a token that may read and write ${config.repository} (fine-grained token: Contents read and write)`;
  if (/\b403\b|permission|denied/i.test(message))
    return `give the token write access to ${config.repository} (fine-grained token: Contents read and write; classic token: repo scope)`;
  if (/not found|\b404\b|does not appear to be a git repository/i.test(message))
    return `create the repository ${config.repository} (private is best) or fix sessionStorage.github.repository`;
  if (/rate limited/.test(message)) return 'wait for the rate limit to pass; the events wait in the outbox meanwhile';
  if (/could not resolve host|connect|timed out|network|unreachable/i.test(message))
    return `check the network and that ${new URL(config.remoteUrl).host} is reachable (sessionStorage.github.apiUrl for GitHub Enterprise)`;
  return 'check sessionStorage.github (repository, token, branch) and the @runbook/storage-github README';
}
