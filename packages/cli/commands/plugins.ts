import { PLUGIN_KINDS, type PluginInfo, UserError } from "@sparsegrain/core";
import { dirname, resolve } from "node:path";
import { boolFlag, listFlag, stringFlag } from "../_flags.ts";
import { parseConfigText, valueAt } from "../config/parse.ts";
import { loadPluginModule } from "../plugins/load.ts";
import type { Command } from "./_command.ts";

/** One row of `plugins --json`. */
export interface PluginListing {
  readonly kind: string;
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly source: string;
}

/** `plugins`: lists the registered plugins. */
export const pluginsCommand: Command = {
  spec: {
    name: "plugins",
    summary:
      "List every registered plugin (built-ins, plus user plugins from --plugin or a config's plugins: list) with kind, name, version and options.",
    minPositionals: 0,
    maxPositionals: 0,
    flags: {
      plugin: {
        type: "string",
        multiple: true,
        value: "MODULE",
        description: "Also load a user plugin module (path or URL)",
      },
      config: {
        type: "string",
        short: "c",
        value: "FILE",
        description: "Also load the plugins a sweep YAML names",
      },
      json: { type: "boolean", description: "Print JSON on stdout" },
    },
  },
  async run(flags, { io, deps }) {
    const catalog = deps.catalog();
    const sources = new Map<string, string>();
    const load = async (spec: string, dir: string) => {
      for (const p of await loadPluginModule(spec, dir, catalog.registries)) {
        sources.set(`${p.kind}/${p.name}`, p.source);
      }
    };
    for (const spec of listFlag(flags, "plugin")) await load(spec, Deno.cwd());
    const config = stringFlag(flags, "config");
    if (config !== undefined) {
      let text: string;
      try {
        text = await Deno.readTextFile(config);
      } catch {
        throw new UserError(
          `Cannot read config "${config}": the file does not exist or is unreadable: check the path`,
        );
      }
      const source = parseConfigText(text, config, dirname(resolve(config)));
      const specs = valueAt(source.raw, ["plugins"]);
      if (Array.isArray(specs)) {
        for (const spec of specs) if (typeof spec === "string") await load(spec, source.dir);
      }
    }
    const rows: PluginListing[] = [];
    for (const kind of PLUGIN_KINDS) {
      for (const plugin of catalog.registries[kind].list() as PluginInfo[]) {
        rows.push({
          kind,
          name: plugin.name,
          version: plugin.version,
          description: plugin.describe(),
          options: plugin.options ?? {},
          source: sources.get(`${kind}/${plugin.name}`) ?? "builtin",
        });
      }
    }
    if (boolFlag(flags, "json")) {
      io.writeOut(JSON.stringify(rows, null, 2) + "\n");
      return 0;
    }
    for (const kind of PLUGIN_KINDS) {
      const mine = rows.filter((r) => r.kind === kind);
      io.writeOut(`${kind} (${mine.length})\n`);
      const width = Math.max(4, ...mine.map((r) => r.name.length));
      for (const r of mine) {
        const src = r.source === "builtin" ? "" : `  [${r.source}]`;
        io.writeOut(`  ${r.name.padEnd(width)}  ${r.version.padEnd(7)}  ${r.description}${src}\n`);
      }
    }
    return 0;
  },
};
