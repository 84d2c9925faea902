function main(params) {
  throw new Error('nooooo');
}
