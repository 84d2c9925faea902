// Returns the whole environment the action sees.
function main() {
  return { env: process.env };
}
