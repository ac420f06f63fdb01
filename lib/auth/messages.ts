// The words the console uses to refuse a request, shared by proxy.ts, server actions and route
// handlers so the user reads the same sentence wherever the check happened.
export const SIGN_IN_REQUIRED = 'Sign in to continue.';
export const FORBIDDEN = 'Your role does not allow this. Ask an admin if you need access.';
export const BAD_ORIGIN = "Refused: this request did not come from the console's own pages.";
export const PASSWORD_CHANGE_REQUIRED = 'Choose a new password on your account page first.';
export const PASSWORD_SIGN_IN_OFF = 'Password sign-in is turned off on this console. Use the single sign-on button instead.';
export const SIGN_IN_FAILED = 'Incorrect username or password, or too many attempts. Try again later.';
export const SERVER_FAILED = 'Something went wrong on the server. It has been logged; please try again.';
export const INVALID_REQUEST = 'The request is not valid; see the field errors.';
