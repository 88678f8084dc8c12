import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { revokeUserSessions } from "../db/repos/auth-sessions";
import { deleteUser, findUser, insertUser, listUsers, lockActiveAdmins, updateUser, type NewUserRow, type UserRow } from "../db/repos/users";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { commitChange } from "../lib/change";
import { etag } from "../lib/concurrency";
import { deleteVersioned, saveVersioned } from "../lib/versioned-change";
import type { Executor } from "../db/executor";
import { uniqueOr409 } from "../lib/db-conflicts";
import { AppError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { hashPassword } from "../lib/passwords";
import { IdParams } from "../schemas/common";
import { CreateUserBody, ListUsersQuery, UpdateUserBody, UserPage, UserSchema, toUserDto } from "../schemas/users";
import { closeLiveSockets } from "../realtime/close-sockets";
import type { SocketEnd } from "../../durable-objects/logic/hub-logic";

const route = apiRoutes("Users");

/**
 * 409 when the change would leave the tenant without an active admin. `admins` comes from
 * lockActiveAdmins, taken before the user's own row so that concurrent changes queue in one
 * order and cannot deadlock.
 */
function assertAdminRemains(admins: string[], user: UserRow, stillAdmin: boolean): void {
  if (stillAdmin || user.role !== "admin" || user.disabled) return;
  if (admins.length <= 1 && admins.includes(user.id)) {
    throw new AppError(409, "LAST_ADMIN", "This is the tenant's last active admin; make another user an admin first", { userId: user.id });
  }
}

const emailTaken = (email: string) => `A user with the email ${email} already exists; each email signs in to one tenant`;

/** One user's row, as saveVersioned and deleteVersioned lock, check and audit it. */
const versioned = (tenantId: string, id: string, action: "updated" | "deleted") => ({
  change: { entity: "user", action } as const,
  name: "user",
  find: (tx: Executor, lock?: { forUpdate: true }) => findUser(tx, tenantId, id, lock),
  audited: toUserDto,
});

export const users = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("List the tenant's users", { query: ListUsersQuery, response: UserPage }), async (c) => {
    const { sort, order, limit, cursor, ...filters } = c.req.valid("query");
    const db = await c.get("services").db();
    const page = await listUsers(db, c.get("auth").tenantId, filters, { sort, order, limit, cursor, filters });
    return c.json({ items: page.rows.map(toUserDto), nextCursor: page.nextCursor });
  })
  .post("/", route("Create a user", { auth: "admin", body: CreateUserBody, response: UserSchema, status: 201, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const row: NewUserRow = {
      id: newId("usr"),
      tenantId,
      email: input.email,
      name: input.name ?? "",
      role: input.role,
      passwordHash: await hashPassword(input.password),
    };
    const user = await commitChange(c, { entity: "user", action: "created" }, async (tx, audit) => {
      await uniqueOr409(() => insertUser(tx, row), "users_email_uq", emailTaken(input.email), { field: "email" });
      const created = (await findUser(tx, tenantId, row.id))!;
      audit.record(created.id, null, toUserDto(created));
      return created;
    });
    c.header("ETag", etag(user.version));
    c.header("Location", `/api/users/${user.id}`);
    return c.json(toUserDto(user), 201);
  })
  .get("/:id", route("Get a user", { params: IdParams, response: UserSchema }), async (c) => {
    const db = await c.get("services").db();
    const user = await findUser(db, c.get("auth").tenantId, c.req.param("id"));
    if (!user) throw notFound("User");
    c.header("ETag", etag(user.version));
    return c.json(toUserDto(user));
  })
  .put("/:id", route("Change a user's name, role, password or disabled state", { auth: "admin", params: IdParams, body: UpdateUserBody, response: UserSchema, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    let socketEnd = null as SocketEnd | null;
    let admins: string[] = [];
    const user = await saveVersioned(c, {
      ...versioned(tenantId, id, "updated"),
      version: input.version,
      lockFirst: async (tx) => {
        socketEnd = null;
        admins = input.role !== undefined || input.disabled !== undefined ? await lockActiveAdmins(tx, tenantId) : [];
      },
      apply: async (tx, current) => {
        const changes: Partial<NewUserRow> = {};
        if (input.name !== undefined) changes.name = input.name;
        if (input.role !== undefined) changes.role = input.role;
        if (input.disabled !== undefined) changes.disabled = input.disabled;
        if (passwordHash) changes.passwordHash = passwordHash;
        if (Object.keys(changes).length === 0) return false;
        assertAdminRemains(admins, current, (changes.role ?? current.role) === "admin" && !(changes.disabled ?? current.disabled));
        await updateUser(tx, tenantId, id, changes);
        if (changes.disabled || passwordHash) await revokeUserSessions(tx, id);
        socketEnd = changes.disabled || passwordHash ? "revoked" : changes.role !== undefined && changes.role !== current.role ? "role_changed" : null;
        return true;
      },
      audit: (_current, updated) => ({ after: { ...toUserDto(updated), ...(passwordHash ? { passwordChanged: true } : {}) } }),
    });
    if (socketEnd) closeLiveSockets(c, tenantId, { userId: id }, socketEnd);
    return c.json(toUserDto(user));
  })
  .delete("/:id", route("Delete a user (never the last active admin)", { auth: "admin", params: IdParams, errors: [409] }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    let admins: string[] = [];
    await deleteVersioned(c, {
      ...versioned(tenantId, id, "deleted"),
      lockFirst: async (tx) => {
        admins = await lockActiveAdmins(tx, tenantId);
      },
      remove: async (tx, current) => {
        assertAdminRemains(admins, current, false);
        await deleteUser(tx, tenantId, id);
      },
    });
    closeLiveSockets(c, tenantId, { userId: id }, "revoked");
    return c.body(null, 204);
  });
