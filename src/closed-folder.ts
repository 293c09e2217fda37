import { accessSync, constants } from "node:fs";
import { dirname, resolve } from "node:path";

/** Whether this process may enter (search) the folder. */
function mayEnter(folder: string): boolean {
  try {
    accessSync(folder, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first folder on the way to `path`, from the root down, that this process may not enter;
 * undefined when every one opens (the file itself is then at fault).
 */
export function closedFolderOn(
  path: string,
  canEnter: (folder: string) => boolean = mayEnter,
): string | undefined {
  const folders: string[] = [];
  for (let folder = dirname(resolve(path)); ; folder = dirname(folder)) {
    folders.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  return folders.find((folder) => !canEnter(folder));
}

/** Why a file cannot be read when `folder`, on its path, does not open to the user `uid`. */
export function closedFolderProblem(folder: string, uid: number | undefined): string {
  const user = uid === undefined ? "this user" : `this user (uid ${uid})`;
  return `${folder} is not open to ${user}: let it enter the folder (for example owned by root and the service's group, mode 0750), or keep the file elsewhere`;
}

/** For a read of `path` that failed with `error`: the closed folder that caused it, worded, if any. */
export function closedFolderCause(path: string, error: unknown): string | undefined {
  if ((error as NodeJS.ErrnoException).code !== "EACCES") return undefined;
  const folder = closedFolderOn(path);
  return folder === undefined ? undefined : closedFolderProblem(folder, process.getuid?.());
}
