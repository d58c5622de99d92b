/** Turns the operating system's file errors (errno codes) into typed errors with a Chinese message naming the path. */
import { CoopError, type ErrorCode } from '../../../core/errors.js';
import { IO_TEXT as T } from './text.js';

type Errno = NodeJS.ErrnoException & { dest?: string };

export function isErrno(error: unknown): error is Errno {
  return error instanceof Error && typeof (error as Errno).code === 'string' && typeof (error as Errno).syscall === 'string';
}

/** errno code → error code and message. Reads and writes share it: a read of a missing file and a write into a missing folder differ only by `writing`. */
function describe(code: string, path: string, writing: boolean): { code: ErrorCode; message: string } {
  switch (code) {
    case 'ENOSPC':
      return { code: 'IO_FAILED', message: T.noSpace(path) };
    case 'EDQUOT':
      return { code: 'IO_FAILED', message: T.quota(path) };
    case 'EACCES':
    case 'EPERM':
      return { code: 'IO_FAILED', message: T.denied(path) };
    case 'EROFS':
      return { code: 'IO_FAILED', message: T.readOnly(path) };
    case 'EBUSY':
    case 'ETXTBSY':
      return { code: 'REGISTRY_LOCKED', message: T.busy(path) };
    case 'EISDIR':
      return { code: 'IO_FAILED', message: T.isDirectory(path) };
    case 'ENOTDIR':
      return { code: 'IO_FAILED', message: T.notDirectory(path) };
    case 'ENOENT':
      return { code: 'IO_FAILED', message: writing ? T.missingFolder(path) : T.missingFile(path) };
    case 'EMFILE':
    case 'ENFILE':
      return { code: 'IO_FAILED', message: T.tooManyFiles(path) };
    case 'ENAMETOOLONG':
      return { code: 'IO_FAILED', message: T.nameTooLong(path) };
    case 'EIO':
    case 'ENXIO':
    case 'ESTALE':
      return { code: 'IO_FAILED', message: T.ioError(path) };
    case 'EFBIG':
    case 'ERR_FS_FILE_TOO_LARGE':
      return { code: 'INPUT_UNREADABLE', message: T.tooLarge(path) };
    default:
      return { code: 'IO_FAILED', message: T.other(path, code) };
  }
}

/**
 * The typed error for a failed file operation on `path` (the file the person named, not a temp file beside it).
 * Anything that is not an OS error passes through unchanged.
 */
export function fsError(error: unknown, path: string, writing: boolean): unknown {
  if (!isErrno(error) && !(error instanceof RangeError && (error as Errno).code === 'ERR_FS_FILE_TOO_LARGE')) return error;
  const d = describe((error as Errno).code!, path, writing);
  return new CoopError(d.code, d.message);
}

/** The same for an OS error nobody caught closer to the operation: the path is the one the OS reports. */
export function uncaughtFsError(error: unknown): CoopError | null {
  if (!isErrno(error) || !error.path) return null;
  const writing = /^(open|write|rename|copyfile|mkdir|unlink|rm|fsync|close)$/.test(error.syscall ?? '');
  const d = describe(error.code!, error.path, writing);
  return new CoopError(d.code, d.message);
}
