function handler(params) {
  return params;
}
