#!/usr/bin/env node
// Steward runs on the Node.js that the project brings (the `node` package, Node 24): npm scripts
// and npx put it first on PATH. Anything older cannot run TypeScript directly, so say so plainly.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `steward needs Node.js 24 or newer, this is ${process.version}.\n` +
      'Run it through npm so the project\'s own Node is used: "npx steward ..." or "npm start".\n',
  );
  process.exit(2);
}
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
