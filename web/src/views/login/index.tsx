import { useState } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { LoginBody } from "../../../../workers/schemas/users";
import { login, type LoginInput } from "../../api/auth";
import { messageOf } from "../../api/errors";
import { session, useSession } from "../../api/session";
import { zodValidate } from "../../lib/zod-form";
import { ROUTE_DASHBOARD } from "../../routes";

const ENDED = {
  expired: "Your session has ended. Sign in again to continue.",
  logout: "You have signed out.",
};

export function LoginPage() {
  const current = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<LoginInput>({ initialValues: { email: "", password: "" }, validate: zodValidate(LoginBody) });
  const from = (location.state as { from?: string } | null)?.from ?? ROUTE_DASHBOARD;
  const ended = session.lastEnd();

  if (current) return <Navigate to={from} replace />;

  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await login(values);
      void navigate(from, { replace: true });
    } catch (err) {
      setError(messageOf(err));
    }
  });

  return (
    <Center mih="100vh" bg="gray.0" component="main">
      <Paper withBorder shadow="sm" p="xl" w={380} radius="md">
        <form onSubmit={submit} noValidate aria-labelledby="login-title">
          <Stack>
            <div>
              <Title order={1} size="h3" id="login-title">
                Sign in
              </Title>
              <Text size="sm" c="dimmed">
                Cloudonix Agent Router admin console
              </Text>
            </div>
            {ended && !error && (
              <Alert color={ended === "expired" ? "yellow" : "gray"} role="status">
                {ENDED[ended]}
              </Alert>
            )}
            {error && (
              <Alert color="red" role="alert" title="Not signed in">
                {error}
              </Alert>
            )}
            <TextInput label="Email" type="email" autoComplete="username" required {...form.getInputProps("email")} />
            <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps("password")} />
            <Button type="submit" loading={form.submitting}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
