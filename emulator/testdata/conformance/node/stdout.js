// Logs without a final newline, then a result: they travel on separate channels.
function main() {
  process.stdout.write('no newline at the end');
  process.stderr.write('nor here');
  return { ok: true };
}
