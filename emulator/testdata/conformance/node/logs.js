// Writes 1.5 MB of logs: past the 1 MB limit.
function main() {
  const line = 'y'.repeat(1023);
  for (let i = 0; i < 1536; i++) console.log(line);
  return { written: 1536 };
}
