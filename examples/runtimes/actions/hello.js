// hello.js: a Node.js action for NCP Cloud Functions (OpenWhisk).
//
// main receives the parameters as one object and returns the result: an
// object, or a Promise of one. A result with a top-level `error` key is an
// "application error".
//
// Params: name (default "World"), place (bound on the package), async
// (when true, answers through a Promise), fail (when true, returns an error).
function main(params) {
  const name = params.name || 'World';
  const result = {
    message: `Hello, ${name}!`,
    place: params.place || null,
    runtime: 'nodejs',
  };
  console.log(`greeting ${name}`); // goes to the activation's logs

  if (params.fail) {
    return { error: `cannot greet ${name}` };
  }
  if (params.async) {
    return new Promise((resolve) => {
      setTimeout(() => resolve({ ...result, async: true }), 10);
    });
  }
  return result;
}

// A single-file action needs only the function above; the export also makes
// the file work as the entry point of a zipped action and under `node:` in a
// specrun manifest.
if (typeof module !== 'undefined' && module.exports) {
  module.exports.main = main;
}
