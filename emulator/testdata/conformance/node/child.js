// Returns while a child process it started still runs, holding stdout: the answer does not
// wait for it, and what it prints later is not part of this activation.
const { spawn } = require('child_process');

function main() {
  spawn('sh', ['-c', 'sleep 0.5; echo child-late; sleep 30'], { stdio: 'inherit' });
  return { ok: 1 };
}
