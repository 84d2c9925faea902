// An entry point other than main (manifest main: niam).
function niam(params) {
  return { called: 'niam', payload: params.payload };
}
