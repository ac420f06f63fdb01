// The one error the console shows when its SQLite store cannot be used (read-only or full disk,
// missing directory, I/O error, corruption), with words an operator can act on.
const FAULTS: Record<string, string> = {
  SQLITE_READONLY: 'the file or its directory is read-only',
  SQLITE_FULL: 'the disk (or the database size limit) is full',
  SQLITE_CANTOPEN: 'the file cannot be opened or created',
  SQLITE_IOERR: 'the disk reported an input/output error',
  SQLITE_CORRUPT: 'the file is damaged',
  SQLITE_NOTADB: 'the file is not a SQLite database',
};

const ADVICE: Record<string, string> = {
  SQLITE_READONLY: 'Make the file and its directory writable by the console process, then retry.',
  SQLITE_FULL: 'Free disk space on that volume, then retry. Nothing already saved was lost.',
  SQLITE_CANTOPEN: 'Check that CONSOLE_DATA_DIR exists or can be created and is writable, then restart.',
  SQLITE_IOERR: 'Check the volume holding CONSOLE_DATA_DIR, then retry.',
  SQLITE_CORRUPT: 'Stop the console and restore the file from a backup.',
  SQLITE_NOTADB: 'Point CONSOLE_DATA_DIR at the console\'s own data directory.',
};

/** The primary result code of an extended SQLite code: SQLITE_IOERR_WRITE → SQLITE_IOERR. */
function primaryCode(code: string): string | undefined {
  return Object.keys(FAULTS).find((c) => code === c || code.startsWith(`${c}_`));
}

export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  /** HTTP status pages and handlers answer with. */
  readonly status = 503;

  constructor(
    readonly file: string,
    /** The SQLite result code, e.g. SQLITE_READONLY or SQLITE_IOERR_WRITE. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    const primary = primaryCode(code) ?? 'SQLITE_CANTOPEN';
    super(
      `The console's data store ${file} cannot be used: ${FAULTS[primary]} (${code}). ${ADVICE[primary]}`,
      options,
    );
  }

  /** Translates a SQLite fault into a StoreUnavailableError; anything else comes back undefined. */
  static from(error: unknown, file: string): StoreUnavailableError | undefined {
    if (isStoreUnavailable(error)) return error;
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !primaryCode(code)) return undefined;
    return new StoreUnavailableError(file, code, { cause: error });
  }
}

/** By name rather than instanceof: Next bundles this module more than once per process. */
export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
  return error instanceof Error && error.name === 'StoreUnavailableError' && 'file' in error && 'code' in error;
}
