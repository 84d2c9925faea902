// Requiring a package that cannot exist fails when main runs.
function main(args) {
  require('.mildlyinvalidnameofanonexistentpackage');
}
