import { patternDetector } from './pattern.js';
import type { Detector } from './types.js';

/**
 * Passwords and tokens given to command-line tools as arguments. Each is looked for only after the tool's
 * name, on the same command (up to a pipe, `;` or `&`), so `-p` of other tools (a port, a path) is left.
 */

/** The argument after an option: quoted or bare, the quotes kept. */
const ARGUMENT = `["']?(?<secret>[^\\s'"]{1,256})`;
/** The rest of one command, bounded. */
const SAME_COMMAND = `[^\\n|;&]{0,256}?`;

export const COMMAND_DETECTORS: readonly Detector[] = [
  // `mysql -uroot -pS3cret`, `mysqldump -p'S3cret'` (`-p` alone, or `-p dbname`, prompts: left alone).
  patternDetector({
    label: 'cli-password',
    regex: () =>
      new RegExp(
        `\\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlpump|mariadb|mariadb-dump)\\b${SAME_COMMAND}[ \\t]-p${ARGUMENT}`,
        'g',
      ),
    hints: ['mysql', 'mariadb'],
  }),
  // `redis-cli -a S3cret`, `redis-cli --pass S3cret`.
  patternDetector({
    label: 'cli-password',
    regex: () => new RegExp(`\\bredis-cli\\b${SAME_COMMAND}[ \\t](?:-a|--pass|--askpass)[ \\t]{1,16}${ARGUMENT}`, 'g'),
    hints: ['redis-cli'],
  }),
  // `docker login -u deploy -p S3cret registry` (`--password-stdin` is left alone).
  patternDetector({
    label: 'cli-password',
    regex: () =>
      new RegExp(
        `\\b(?:docker|podman|nerdctl|buildah)[ \\t]{1,16}login\\b${SAME_COMMAND}[ \\t](?:-p|--password)(?:[ \\t]{1,16}|=)${ARGUMENT}`,
        'g',
      ),
    hints: ['docker', 'podman', 'nerdctl', 'buildah'],
  }),
  // `sshpass -p S3cret ssh host`, `sshpass -pS3cret`.
  patternDetector({
    label: 'cli-password',
    regex: () => new RegExp(`\\bsshpass\\b${SAME_COMMAND}[ \\t]-p[ \\t]{0,16}${ARGUMENT}`, 'g'),
    hints: ['sshpass'],
  }),
  // `aws configure set aws_secret_access_key <key>`, `... set profile.prod.aws_session_token <token>`.
  patternDetector({
    label: 'aws-secret-key',
    regex: () =>
      new RegExp(
        `\\bconfigure[ \\t]{1,16}set[ \\t]{1,16}(?:--profile[ \\t]{1,16}\\S{1,128}[ \\t]{1,16})?(?:[\\w-]{1,64}\\.){0,3}(?:aws_secret_access_key|aws_session_token|aws_security_token)[ \\t]{1,16}${ARGUMENT}`,
        'g',
      ),
    hints: ['configure'],
  }),
  // `.netrc`: `machine host login user password S3cret`, on one line or several.
  patternDetector({
    label: 'netrc-password',
    regex: () => /\blogin[ \t\r\n]{1,16}[^\s]{1,256}[ \t\r\n]{1,64}password[ \t]{1,16}(?<secret>[^\s]{1,256})/g,
    hints: ['login'],
  }),
];

export const TOKEN_DETECTORS: readonly Detector[] = [
  // HashiCorp Vault service, batch and recovery tokens.
  patternDetector({
    label: 'vault-token',
    regex: () => /\bhv[sbr]\.[A-Za-z0-9_-]{24,4096}/g,
    hints: ['hvs.', 'hvb.', 'hvr.'],
  }),
  // The signature of an Azure shared access signature (`...&sp=r&sig=<base64, URL-encoded>`).
  patternDetector({
    label: 'azure-sas',
    regex: () => /(?<=[?&;"' ])sig=(?<secret>[A-Za-z0-9%+/=_-]{16,512})/g,
    hints: ['sig='],
  }),
];
