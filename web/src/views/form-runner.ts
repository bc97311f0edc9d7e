import { describeError } from "../error-text.ts";

/**
 * Runs a form's action with its buttons disabled, showing any failure in player words in
 * `status` (cleared first). `form` may be null for actions not tied to a form.
 */
export function formRunner(status: HTMLElement) {
  return async (form: HTMLFormElement | null, work: () => Promise<void>): Promise<void> => {
    const buttons = form ? [...form.querySelectorAll("button")] : [];
    buttons.forEach((b) => (b.disabled = true));
    status.textContent = "";
    try {
      await work();
    } catch (error) {
      status.textContent = describeError(error);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  };
}
