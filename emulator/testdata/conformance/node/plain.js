// The documented form: a plain top-level function, no exports.
function main(params) {
  return { payload: params.payload };
}
