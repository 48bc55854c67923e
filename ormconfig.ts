import "reflect-metadata";
import { DataSource } from "typeorm";
import { databaseConfigFromEnv } from "./src/config";
import { dataSourceOptions } from "./src/db/database";
import { entities } from "./src/entities/entities";

/** The data source the TypeORM CLI uses (`npm run migration:*`); the app builds its own from the same options. */
export const dataSource = new DataSource(dataSourceOptions(databaseConfigFromEnv(), entities));
