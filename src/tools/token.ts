import "reflect-metadata";
import { NO_REQUEST } from "../kernel/request-context";
import { databaseConfigFromEnv } from "../config";
import { Database } from "../db/database";
import { entities } from "../entities/entities";
import { Role } from "../kernel/viewer";
import { AuthService } from "../services/auth.service";

const USAGE = `usage:
  npm run --silent token -- create --name NAME --role ADMIN|EDITOR|MODERATOR   prints the new token as its last line
  npm run --silent token -- list
  npm run --silent token -- revoke ID`;

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
}

/**
 * The token command line: mints, lists and revokes API tokens straight in the database the
 * server uses (SQLITE_FILE or DATABASE_URL), for the first token of a new installation.
 * Returns the exit code; output lines go to `print`.
 */
export async function runTokenCommand(args: readonly string[], print: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command] = args;
  if (command !== "create" && command !== "list" && command !== "revoke") {
    print(USAGE);
    return 2;
  }
  const db = await Database.open(databaseConfigFromEnv(env), entities);
  try {
    const auth = new AuthService(db);
    if (command === "create") {
      const name = option(args, "name");
      const role = option(args, "role")?.toUpperCase();
      if (!name || !role || !Object.values(Role).includes(role as Role)) {
        print(USAGE);
        return 2;
      }
      const { token, apiToken } = await auth.createToken(NO_REQUEST, name, role as Role);
      print(`# token ${apiToken.id} "${apiToken.name}" (${apiToken.role}); it is shown only this once:`);
      print(token);
    } else if (command === "list") {
      for (const t of await auth.list()) print(`${t.id}\t${t.role}\t${t.revokedAt ? "revoked" : "active"}\t${t.createdAt.toISOString()}\t${t.name}`);
    } else {
      const id = args[1];
      if (!id) {
        print(USAGE);
        return 2;
      }
      await auth.revokeToken(NO_REQUEST, id);
      print(`revoked ${id}`);
    }
    return 0;
  } catch (error) {
    print(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  runTokenCommand(process.argv.slice(2), (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
