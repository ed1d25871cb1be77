import { execFileSync } from 'node:child_process';

// The Python that runs exported code which needs numpy: the first python3 on PATH that has it
// (a pyenv one may not), else Debian's, for which .ci/run installs python3-numpy.
let found: string | undefined;

export function pythonWithNumpy(): string {
  if (found) return found;
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(candidate, ['-c', 'import numpy'], { stdio: 'ignore' });
      return (found = candidate);
    } catch {
      // try the next one
    }
  }
  throw new Error('no python3 with numpy: install Debian\'s python3-numpy (apt-get install python3-numpy)');
}
