/** What the server answers instead of running git: a status with headers, for rate-limit tests. */
export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface GitServerOptions {
  /** The token clients must send, as HTTP Basic password or Bearer token. */
  token: string;
  /** Called for each request before git runs; a response returned here is sent instead. */
  intercept?: (request: { method: string; path: string; service: string | undefined }) => CannedResponse | undefined;
}

export interface GitServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Create an empty bare repository `<name>.git` and return its clone URL. */
  createRepo(name: string): string;
  /** Path of a repository on disk, for assertions with plain git. */
  repoPath(name: string): string;
  /** HTTP requests seen (all), git service calls by kind (`upload-pack`, `receive-pack` POSTs), those answered 401 or canned. */
  readonly counts: {
    requests: number;
    'upload-pack': number;
    'receive-pack': number;
    unauthorized: number;
    intercepted: number;
  };
  /** Every Authorization header seen (to prove how the token travels). */
  readonly authorizations: string[];
  close(): Promise<void>;
}

/**
 * A real git server on 127.0.0.1: git's own `git http-backend` behind a small HTTP server that requires
 * the token (HTTP Basic with any user name, or Bearer). Repositories allow partial and shallow fetches.
 */
export declare function startGitServer(options: GitServerOptions): Promise<GitServer>;
