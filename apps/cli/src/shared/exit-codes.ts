/** The exit-code table every command's `--help` ends with. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  success (the hook always exits 0)
  1  the command failed (bad config, unknown session, storage unreachable, events left unsent)
  2  usage error (unknown option or missing argument)
`;
