function main(params) {
  return { payload: params.payload
