/** Turns the operating system's file errors (errno codes) into typed errors with a Chinese message naming the path. */
import { CoopError, type ErrorCode } from '../../../core/errors.js';
import { IO_TEXT as T } from './text.js';

type Errno = NodeJS.ErrnoException & { dest?: string };

export function isErrno(error: unknown): error is Errno {
  return error instanceof Error && typeof (error as Errno).code === 'string' && typeof (error as Errno).syscall === 'string';
}

type Described = { code: ErrorCode; message: (path: string) => string };

const failed = (message: (path: string) => string): Described => ({ code: 'IO_FAILED', message });

/** errno code → error code and message; ENOENT depends on the direction and is decided in `describe`. */
const BY_ERRNO: Readonly<Record<string, Described>> = {
  ENOSPC: failed(T.noSpace),
  EDQUOT: failed(T.quota),
  EACCES: failed(T.denied),
  EPERM: failed(T.denied),
  EROFS: failed(T.readOnly),
  EBUSY: { code: 'REGISTRY_LOCKED', message: T.busy },
  ETXTBSY: { code: 'REGISTRY_LOCKED', message: T.busy },
  EISDIR: failed(T.isDirectory),
  ENOTDIR: failed(T.notDirectory),
  EMFILE: failed(T.tooManyFiles),
  ENFILE: failed(T.tooManyFiles),
  ENAMETOOLONG: failed(T.nameTooLong),
  EIO: failed(T.ioError),
  ENXIO: failed(T.ioError),
  ESTALE: failed(T.ioError),
  EFBIG: { code: 'INPUT_UNREADABLE', message: T.tooLarge },
  ERR_FS_FILE_TOO_LARGE: { code: 'INPUT_UNREADABLE', message: T.tooLarge },
};

/** Reads and writes share the table: a read of a missing file and a write into a missing folder differ only by `writing`. */
function describe(code: string, path: string, writing: boolean): CoopError {
  if (code === 'ENOENT') return new CoopError('IO_FAILED', writing ? T.missingFolder(path) : T.missingFile(path));
  const known = Object.hasOwn(BY_ERRNO, code) ? BY_ERRNO[code] : undefined;
  return known ? new CoopError(known.code, known.message(path)) : new CoopError('IO_FAILED', T.other(path, code));
}

/**
 * The typed error for a failed file operation on `path` (the file the person named, not a temp file beside it).
 * Anything that is not an OS error passes through unchanged.
 */
export function fsError(error: unknown, path: string, writing: boolean): unknown {
  if (!isErrno(error) && !(error instanceof RangeError && (error as Errno).code === 'ERR_FS_FILE_TOO_LARGE')) return error;
  return describe((error as Errno).code!, path, writing);
}

/** The same for an OS error nobody caught closer to the operation: the path is the one the OS reports. */
export function uncaughtFsError(error: unknown): CoopError | null {
  if (!isErrno(error) || !error.path) return null;
  const writing = /^(open|write|rename|copyfile|mkdir|unlink|rm|fsync|close)$/.test(error.syscall ?? '');
  return describe(error.code!, error.path, writing);
}
