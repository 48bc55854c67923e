// Lets a child process run the TypeScript sources directly (`node -r ./tests/helpers/ts-register.js src/main.ts`),
// the way ts-jest runs them in tests: each file transpiled on its own with the project's options.
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

const configFile = ts.readConfigFile(path.join(__dirname, "..", "..", "tsconfig.json"), ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, path.join(__dirname, "..", ".."));
const compilerOptions = { ...options, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: true };

require.extensions[".ts"] = (module, filename) => {
  const source = fs.readFileSync(filename, "utf8");
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
