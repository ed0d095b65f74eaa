/*
 * Preloaded into a benchmarked process with `node --require ./bench/rss-sampler.ts` (Node
 * strips the types): samples RSS every 50 ms and prints the peak, and the kernel's max RSS, to
 * stderr at exit. No imports, so it runs as plain CommonJS.
 */
let peakRss = process.memoryUsage().rss;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50).unref();
process.on('exit', () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  process.stderr.write(`RSS_SAMPLED_PEAK=${peakRss} RSS_MAX=${maxRss}\n`);
});
