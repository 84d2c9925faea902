module.exports.main = function (params) {
  return { payload: params.payload };
};
