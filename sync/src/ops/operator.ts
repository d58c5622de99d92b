/** Who ran the program on this machine: the operating-system account and host, recorded beside the person a log row names. */
import { hostname, userInfo } from 'node:os';

export function localOperator(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // Containers without a passwd entry for the uid still have an account: name it by number.
    user = `uid${process.getuid?.() ?? '?'}`;
  }
  return `${user}@${hostname()}`;
}
