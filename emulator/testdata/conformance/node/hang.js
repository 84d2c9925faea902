// Never settles: the action's own time limit ends it.
function main() {
  return new Promise(() => setInterval(() => {}, 1000));
}
