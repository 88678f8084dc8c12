import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { revokeUserSessions } from "../db/repos/auth-sessions";
import { deleteUser, findUser, insertUser, listUsers, lockActiveAdmins, updateUser, type NewUserRow, type UserRow } from "../db/repos/users";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiDocs } from "../openapi/registry";
import { commitChange } from "../lib/change";
import { assertVersion, etag, expectedVersion } from "../lib/concurrency";
import { uniqueOr409 } from "../lib/db-conflicts";
import { AppError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { hashPassword } from "../lib/passwords";
import { readJson, readQuery } from "../lib/validation";
import { IdParams } from "../schemas/common";
import { CreateUserBody, ListUsersQuery, UpdateUserBody, UserPage, UserSchema, toUserDto } from "../schemas/users";
import { closeLiveSockets } from "../realtime/close-sockets";
import type { SocketEnd } from "../../durable-objects/logic/hub-logic";

const docs = apiDocs("/api/users", "Users");
docs.get("/", "List the tenant's users", { query: ListUsersQuery, response: UserPage });
docs.post("/", "Create a user", { auth: "admin", body: CreateUserBody, response: UserSchema, status: 201, errors: [409] });
docs.get("/:id", "Get a user", { params: IdParams, response: UserSchema });
docs.put("/:id", "Change a user's name, role, password or disabled state", { auth: "admin", params: IdParams, body: UpdateUserBody, response: UserSchema, errors: [409] });
docs.delete("/:id", "Delete a user (never the last active admin)", { auth: "admin", params: IdParams, errors: [409] });

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

export const users = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", async (c) => {
    const { sort, order, limit, cursor, ...filters } = readQuery(c, ListUsersQuery);
    const db = await c.get("services").db();
    const page = await listUsers(db, c.get("auth").tenantId, filters, { sort, order, limit, cursor, filters });
    return c.json({ items: page.rows.map(toUserDto), nextCursor: page.nextCursor });
  })
  .post("/", async (c) => {
    const input = await readJson(c, CreateUserBody);
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
  .get("/:id", async (c) => {
    const db = await c.get("services").db();
    const user = await findUser(db, c.get("auth").tenantId, c.req.param("id"));
    if (!user) throw notFound("User");
    c.header("ETag", etag(user.version));
    return c.json(toUserDto(user));
  })
  .put("/:id", async (c) => {
    const input = await readJson(c, UpdateUserBody);
    const expected = expectedVersion(c, input.version);
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    let socketEnd = null as SocketEnd | null;
    const user = await commitChange(c, { entity: "user", action: "updated" }, async (tx, audit) => {
      socketEnd = null;
      const admins = input.role !== undefined || input.disabled !== undefined ? await lockActiveAdmins(tx, tenantId) : [];
      const current = await findUser(tx, tenantId, id, { forUpdate: true });
      if (!current) throw notFound("User");
      assertVersion("user", expected, current.version);
      const changes: Partial<NewUserRow> = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.role !== undefined) changes.role = input.role;
      if (input.disabled !== undefined) changes.disabled = input.disabled;
      if (passwordHash) changes.passwordHash = passwordHash;
      if (Object.keys(changes).length === 0) return current;
      assertAdminRemains(admins, current, (changes.role ?? current.role) === "admin" && !(changes.disabled ?? current.disabled));
      await updateUser(tx, tenantId, id, changes);
      if (changes.disabled || passwordHash) await revokeUserSessions(tx, id);
      socketEnd = changes.disabled || passwordHash ? "revoked" : changes.role !== undefined && changes.role !== current.role ? "role_changed" : null;
      const updated = (await findUser(tx, tenantId, id))!;
      audit.record(id, toUserDto(current), { ...toUserDto(updated), ...(passwordHash ? { passwordChanged: true } : {}) });
      return updated;
    });
    if (socketEnd) closeLiveSockets(c, tenantId, { userId: id }, socketEnd);
    c.header("ETag", etag(user.version));
    return c.json(toUserDto(user));
  })
  .delete("/:id", async (c) => {
    const expected = expectedVersion(c);
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    await commitChange(c, { entity: "user", action: "deleted" }, async (tx, audit) => {
      const admins = await lockActiveAdmins(tx, tenantId);
      const current = await findUser(tx, tenantId, id, { forUpdate: true });
      if (!current) throw notFound("User");
      assertVersion("user", expected, current.version);
      assertAdminRemains(admins, current, false);
      await deleteUser(tx, tenantId, id);
      audit.record(id, toUserDto(current), null);
    });
    closeLiveSockets(c, tenantId, { userId: id }, "revoked");
    return c.body(null, 204);
  });
