import type { AppConfig, Env } from "./env";
import type { Services } from "./services";
import type { AuthContext } from "./middleware/auth";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    config: AppConfig;
    services: Services;
    /** Set by requireAuth (middleware/auth.ts). */
    auth: AuthContext;
  };
}
