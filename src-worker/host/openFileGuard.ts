// Every `open_file` path is checked here before a single byte is read (issue 14): resolved to
// an absolute path, it must exist, be a regular file (a folder, a FIFO or a device such as
// /dev/zero would hang or mislead the decoder), carry a DBN file name, be readable by us and
// not be empty. Messages name only the path the user gave, never where a link points.
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { HostError } from './alerts';

const DBN_EXT = /\.dbn(\.zst)?$/i;
const PICK = 'Check the path, or pick the file with File ▸ Open DBN….';

/** The absolute path to open; throws a HostError (code `file.*`) saying what is wrong. */
export function guardOpenFile(path: unknown): string {
  if (typeof path !== 'string' || path.length === 0) throw new HostError('file.missing_path', 'No file was given.', 'Choose a .dbn or .dbn.zst file.');
  if (path.includes('\0') || path.length > 4096) throw new HostError('file.not_found', 'That is not a valid file path.', PICK);
  const abs = resolve(path);
  let st: Stats;
  try {
    st = statSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new HostError('file.unreadable', `${path} cannot be read: permission denied.`, 'Check the file permissions, or copy the file somewhere you can read.');
    throw new HostError('file.not_found', `The file ${path} does not exist.`, PICK);
  }
  if (st.isDirectory()) throw new HostError('file.not_a_file', `${path} is a folder, not a file.`, 'Choose a .dbn or .dbn.zst file.');
  if (!st.isFile()) throw new HostError('file.not_a_file', `${path} is not a regular file (a device, pipe or socket).`, 'Choose a .dbn or .dbn.zst file saved on disk.');
  if (!DBN_EXT.test(abs)) throw new HostError('file.unsupported_type', `${path} is not a DBN file.`, 'Spymaster opens Databento MBO files ending in .dbn or .dbn.zst.');
  try {
    accessSync(abs, constants.R_OK);
  } catch {
    throw new HostError('file.unreadable', `${path} cannot be read: permission denied.`, 'Check the file permissions, or copy the file somewhere you can read.');
  }
  if (st.size === 0) throw new HostError('file.empty', `${path} is empty (0 bytes).`, 'The download may have failed; download the file again.');
  return abs;
}
