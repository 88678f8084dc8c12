import { createTheme, defaultVariantColorsResolver, parseThemeColor, type CSSVariablesResolver } from "@mantine/core";

/*
 * Mantine's defaults with contrast raised to WCAG AA (4.5:1) where they fall short: filled
 * colours at shade 8, text of light variants at shade 9, dimmed text at gray 7.
 */
export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 8, dark: 6 },
  defaultRadius: "md",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  components: {
    Notification: { defaultProps: { closeButtonProps: { "aria-label": "Dismiss" } } },
    // Every dialog's close button (the confirmations opened through `modals` too) needs a name.
    Modal: { defaultProps: { closeButtonProps: { "aria-label": "Close" } } },
    // Wide tables scroll sideways on small screens; a keyboard user must be able to reach and scroll them.
    TableScrollContainer: { defaultProps: { type: "native", tabIndex: 0 } },
    // A badge is a word or two: never squeezed to "ANSWE…" or "HEALT…" by a table cell or a
    // crowded header (it clips its label, so without this its minimum width is next to nothing).
    Badge: { styles: { root: { minWidth: "max-content" } } },
  },
  variantColorResolver: (input) => {
    const colors = defaultVariantColorsResolver(input);
    if (input.variant === "outline" || input.variant === "subtle") {
      const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
      if (parsed.isThemeColor) return { ...colors, color: `var(--mantine-color-${parsed.color}-text)` };
    }
    if (input.variant === "filled") {
      const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
      if (parsed.isThemeColor && ["teal", "green", "yellow", "orange", "cyan", "lime", "gray"].includes(parsed.color)) {
        return { ...colors, background: `var(--mantine-color-${parsed.color}-9)`, hover: `var(--mantine-color-${parsed.color}-9)` };
      }
    }
    return colors;
  },
});

const COLORS = ["gray", "red", "pink", "grape", "violet", "indigo", "blue", "cyan", "teal", "green", "lime", "yellow", "orange"];

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    "--mantine-color-placeholder": "var(--mantine-color-gray-6)",
    // Light badges, alerts and buttons: the palette's lightest tint behind its darkest shade,
    // darkened a little more, reads at 4.5:1 or better for every colour (yellow included).
    ...Object.fromEntries(COLORS.map((c) => [`--mantine-color-${c}-light`, `var(--mantine-color-${c}-0)`])),
    ...Object.fromEntries(COLORS.map((c) => [`--mantine-color-${c}-light-hover`, `var(--mantine-color-${c}-1)`])),
    ...Object.fromEntries(COLORS.map((c) => [`--mantine-color-${c}-light-color`, `color-mix(in srgb, var(--mantine-color-${c}-9) 70%, black)`])),
    ...Object.fromEntries(COLORS.map((c) => [`--mantine-color-${c}-text`, `color-mix(in srgb, var(--mantine-color-${c}-9) 80%, black)`])),
  },
  dark: {},
});
