exports.main = function () {
  throw new Error('boom');
};
