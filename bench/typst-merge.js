// typst-merge.js — Typst as a mail merge, for bench/anchors.sh: one
// template, one compiler, each letter's recipient passed through
// `sys.inputs` (the npm package @myriaddreamin/typst-ts-node-compiler):
//   node typst-merge.js MODULE_DIR FONT_DIR TEMPLATE.typ RECIPIENTS.json OUT_DIR
// RECIPIENTS.json is a list of {"name": ..., "lines": "a\nb\nc"} objects.
'use strict';
const fs = require('fs');
const path = require('path');
const [moduleDir, fontDir, template, recipients, outDir] = process.argv.slice(2);
const { NodeCompiler } = require(path.join(moduleDir, '@myriaddreamin/typst-ts-node-compiler'));
const compiler = NodeCompiler.create({
  workspace: path.dirname(path.resolve(template)),
  fontArgs: [{ fontPaths: [fontDir] }],
});
JSON.parse(fs.readFileSync(recipients, 'utf8')).forEach((r, i) => {
  const pdf = compiler.pdf({ mainFilePath: path.resolve(template), inputs: r });
  fs.writeFileSync(path.join(outDir, r.name + '.pdf'), pdf);
  if (i % 100 === 99) compiler.evictCache(10);
});
