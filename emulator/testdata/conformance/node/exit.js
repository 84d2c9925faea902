function main() {
  process.exit(0);
}
