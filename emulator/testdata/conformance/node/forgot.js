// Resolves only when asked to: otherwise the promise never settles and nothing else keeps
// the process busy (OpenWhisk's runtime still waits, until the action's time limit).
function main(params) {
  return new Promise((resolve) => {
    if (params.ok) resolve({ ok: true });
  });
}
