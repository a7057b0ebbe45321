using Webinars.Registrations;

namespace Webinars.Tests.Registrations;

public sealed class MaskedEmailTests
{
    [Theory]
    [InlineData("jane.doe@example.org", "j•••@example.org")]
    [InlineData("j@example.org", "j•••@example.org")]
    [InlineData("not-an-address", "•••")]
    public void Mask_Address_KeepsFirstCharacterAndDomain(string email, string expected) =>
        Assert.Equal(expected, MaskedEmail.Mask(email));
}
