// Returns while a timer is still pending: the runtime answers at once, and what the timer
// prints later is not part of this activation.
function main() {
  console.log('returning');
  setInterval(() => console.log('late'), 1000);
  return { ok: true };
}
