// The one error the console shows when its store cannot be used, with words an operator can act
// on: for the SQLite file (read-only or full disk, missing directory, I/O error, corruption) and
// for PostgreSQL (server down or restarting, refused credentials, missing database, full disk).
interface Fault {
  readonly what: string;
  readonly advice: string;
}

const SQLITE: Record<string, Fault> = {
  SQLITE_READONLY: { what: 'the file or its directory is read-only', advice: 'Make the file and its directory writable by the console process, then retry.' },
  SQLITE_FULL: { what: 'the disk (or the database size limit) is full', advice: 'Free disk space on that volume, then retry. Nothing already saved was lost.' },
  SQLITE_CANTOPEN: { what: 'the file cannot be opened or created', advice: 'Check that CONSOLE_DATA_DIR exists or can be created and is writable, then restart.' },
  SQLITE_IOERR: { what: 'the disk reported an input/output error', advice: 'Check the volume holding CONSOLE_DATA_DIR, then retry.' },
  SQLITE_CORRUPT: { what: 'the file is damaged', advice: 'Stop the console and restore the file from a backup.' },
  SQLITE_NOTADB: { what: 'the file is not a SQLite database', advice: "Point CONSOLE_DATA_DIR at the console's own data directory." },
  SQLITE_BUSY: { what: 'another process held the file locked for too long', advice: 'Retry in a moment; if it persists, look for a process keeping the file locked.' },
};

const UNREACHABLE: Fault = {
  what: 'the database server does not answer',
  advice: 'Check that PostgreSQL is running and reachable at DATABASE_URL. The console reconnects by itself; nothing already saved was lost.',
};

// SQLSTATE codes (and classes, by their first two characters) of a server that cannot serve us.
const POSTGRES: Record<string, Fault> = {
  '08': UNREACHABLE,
  '57P01': { what: 'the database server is shutting down', advice: UNREACHABLE.advice },
  '57P02': { what: 'the database server crashed', advice: UNREACHABLE.advice },
  '57014': { what: 'the database server did not answer in time (statement timeout)', advice: 'Check the load on the server and the network to it; the console retries by itself.' },
  QUERY_TIMEOUT: { what: 'the database server did not answer in time', advice: 'Check the load on the server and the network to it; the console retries by itself.' },
  '57P03': { what: 'the database server is starting up or recovering', advice: 'Wait for it to finish; the console reconnects by itself.' },
  '53': { what: 'the database server is out of resources (disk, memory or connections)', advice: 'Free disk space or raise max_connections on the server (or lower CONSOLE_DB_POOL_SIZE), then retry.' },
  '28': { what: 'the database server refused the credentials', advice: 'Check the user and password in DATABASE_URL.' },
  '3D000': { what: 'the database does not exist', advice: 'Create it (createdb) or fix its name in DATABASE_URL.' },
  '25006': { what: 'the database server is read-only (a standby?)', advice: 'Point DATABASE_URL at the primary server.' },
  '58': { what: 'the database server reported a system error', advice: "Check the server's log and disk, then retry." },
  XX001: { what: 'the database server reports damaged data', advice: 'Restore from a backup (see the README on backups).' },
  ECONNREFUSED: UNREACHABLE,
  ECONNRESET: UNREACHABLE,
  ETIMEDOUT: UNREACHABLE,
  EHOSTUNREACH: UNREACHABLE,
  ENOTFOUND: { what: "the database server's host name does not resolve", advice: 'Check the host in DATABASE_URL.' },
  EAI_AGAIN: { what: "the database server's host name does not resolve", advice: 'Check the host in DATABASE_URL and DNS.' },
  EPIPE: UNREACHABLE,
  PG_CONNECTION_LOST: UNREACHABLE,
};

// node-postgres reports a lost or unobtainable connection with these messages and no code.
const LOST_CONNECTION = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused|the database system is (starting up|shutting down|in recovery mode)/i;

function faultOf(code: string): Fault | undefined {
  const sqlite = Object.keys(SQLITE).find((c) => code === c || code.startsWith(`${c}_`));
  if (sqlite) return SQLITE[sqlite];
  return POSTGRES[code] ?? (/^[0-9A-Z]{5}$/.test(code) ? POSTGRES[code.slice(0, 2)] : undefined);
}

export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  /** HTTP status pages and handlers answer with. */
  readonly status = 503;

  constructor(
    /** The SQLite file, or the PostgreSQL server and database (never its password). */
    readonly location: string,
    /** SQLITE_READONLY, SQLITE_IOERR_WRITE…; a SQLSTATE or a socket error code for PostgreSQL. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    const fault = faultOf(code) ?? SQLITE.SQLITE_CANTOPEN!;
    super(`The console's data store ${location} cannot be used: ${fault.what} (${code}). ${fault.advice}`, options);
  }

  /** Translates a store fault into a StoreUnavailableError; anything else comes back undefined. */
  static from(error: unknown, location: string): StoreUnavailableError | undefined {
    if (isStoreUnavailable(error)) return error;
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && faultOf(code)) return new StoreUnavailableError(location, code, { cause: error });
    if (error instanceof Error && /^Query read timeout$/.test(error.message)) return new StoreUnavailableError(location, 'QUERY_TIMEOUT', { cause: error });
    if (error instanceof Error && LOST_CONNECTION.test(error.message)) {
      return new StoreUnavailableError(location, 'PG_CONNECTION_LOST', { cause: error });
    }
    return undefined;
  }
}

/** By name rather than instanceof: Next bundles this module more than once per process. */
export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
  return error instanceof Error && error.name === 'StoreUnavailableError' && 'location' in error && 'code' in error;
}

/** A unique or primary key was violated (two writers raced for the same name or lock). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
