using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Webinars.Accounts;

namespace Webinars.Pages.Staff;

/// <summary>Cookie sign-in for staff and moderators, with the same accounts as <c>POST /api/auth/login</c>.</summary>
[EnableRateLimiting(AccountsApi.SignInRateLimit)]
public sealed class SignInModel(SignInManager<StaffUser> signIn, SignInThrottle throttle) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email)) Errors["email"] = "Email is required.";
        if (string.IsNullOrEmpty(Password)) Errors["password"] = "Password is required.";
        if (Errors.Count == 0)
        {
            signIn.AuthenticationScheme = IdentityConstants.ApplicationScheme;
            var outcome = await throttle.PasswordSignInAsync(signIn, HttpContext, Email!, Password!);
            if (outcome == SignInOutcome.Succeeded)
            {
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/staff");
            }

            Problem = outcome == SignInOutcome.Throttled ? throttle.ThrottledMessage : "Email or password is wrong.";
            Response.StatusCode = outcome == SignInOutcome.Throttled ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest;
            return Page();
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
