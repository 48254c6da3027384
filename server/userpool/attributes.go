package userpool

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// UserAttribute is one attribute as the API carries it. An empty Value on an
// update deletes the attribute.
type UserAttribute struct {
	Name  string
	Value string
}

// writeMode says who writes attributes, which decides what they may touch.
type writeMode int

const (
	// writeSignUp: SignUp, under the client's write permissions.
	writeSignUp writeMode = iota
	// writeAdminCreate: AdminCreateUser and seeds; may set *_verified.
	writeAdminCreate
	// writeSelfUpdate: UpdateUserAttributes and DeleteUserAttributes, under
	// the client's write permissions.
	writeSelfUpdate
	// writeAdminUpdate: AdminUpdateUserAttributes and
	// AdminDeleteUserAttributes; may set *_verified.
	writeAdminUpdate
)

func (m writeMode) public() bool   { return m == writeSignUp || m == writeSelfUpdate }
func (m writeMode) creating() bool { return m == writeSignUp || m == writeAdminCreate }

// Limits of AttributeType (Cognito's model).
const (
	maxAttrNameLen  = 32
	maxAttrValueLen = 2048
)

// standardAttrs are Cognito's standard attributes. A pool created through
// the API lists them in its schema; one created directly in storage (tests,
// older seeds) may not, and still has them.
var standardAttrs = map[string]string{
	"sub": "String", "name": "String", "given_name": "String", "family_name": "String",
	"middle_name": "String", "nickname": "String", "preferred_username": "String",
	"profile": "String", "picture": "String", "website": "String", "email": "String",
	"email_verified": "Boolean", "gender": "String", "birthdate": "String",
	"zoneinfo": "String", "locale": "String", "phone_number": "String",
	"phone_number_verified": "Boolean", "address": "String", "updated_at": "Number",
}

func isVerifiedFlag(name string) bool {
	return name == "email_verified" || name == "phone_number_verified"
}

// schemaAttribute returns the pool's definition of an attribute. Users
// carry a developer-only attribute as "dev:" + its schema name.
func schemaAttribute(p storage.Pool, name string) (storage.SchemaAttribute, bool) {
	bare, dev := strings.CutPrefix(name, "dev:")
	for _, a := range p.Schema {
		if a.Name == bare && a.DeveloperOnly == dev {
			return a, true
		}
	}
	if t, ok := standardAttrs[name]; ok {
		return storage.SchemaAttribute{Name: name, AttributeDataType: t, Mutable: name != "sub", Required: name == "sub"}, true
	}
	return storage.SchemaAttribute{}, false
}

var (
	emailRE = regexp.MustCompile(`^[^\s@]+@[^\s@]+$`)
	phoneRE = regexp.MustCompile(`^\+[0-9]{4,15}$`)
)

func looksLikeEmail(s string) bool { return emailRE.MatchString(s) }
func looksLikePhone(s string) bool { return phoneRE.MatchString(s) }

func schemaError(format string, args ...any) error {
	return exception.New(exception.InvalidParameter, "Attributes did not conform to the schema: "+fmt.Sprintf(format, args...))
}

var errUnauthorizedAttribute = exception.New(exception.NotAuthorized, "A client attempted to write unauthorized attribute")

// validateAttributes checks a write of attrs by mode, in Cognito's order:
// the members' lengths, the client's write permissions, the schema (unknown
// names, immutable ones) and the values' formats. c is the client of public
// writes (nil for admin ones).
func validateAttributes(p storage.Pool, c *storage.Client, attrs []UserAttribute, mode writeMode) error {
	for i, a := range attrs {
		if n := utf8.RuneCountInString(a.Name); n < 1 || n > maxAttrNameLen {
			return exception.Newf(exception.InvalidParameter,
				"1 validation error detected: Value '%s' at 'userAttributes.%d.member.name' failed to satisfy constraint: Member must have length less than or equal to %d",
				a.Name, i+1, maxAttrNameLen)
		}
		if utf8.RuneCountInString(a.Value) > maxAttrValueLen {
			return exception.Newf(exception.InvalidParameter,
				"1 validation error detected: Value at 'userAttributes.%d.member.value' failed to satisfy constraint: Member must have length less than or equal to %d",
				i+1, maxAttrValueLen)
		}
	}
	if mode.public() {
		for _, a := range attrs {
			if !clientMayWrite(c, a.Name) {
				return errUnauthorizedAttribute
			}
		}
	}
	for _, a := range attrs {
		sa, ok := schemaAttribute(p, a.Name)
		if !ok {
			return schemaError("Type for attribute {%s} could not be determined", a.Name)
		}
		// "You can only write a value to an immutable attribute when you
		// create a user" (Cognito developer guide); sub is never written.
		if a.Name == "sub" || (!sa.Mutable && !mode.creating()) {
			return exception.Newf(exception.InvalidParameter, "Cannot modify the non-mutable attribute %s", a.Name)
		}
	}
	for _, a := range attrs {
		if a.Value == "" {
			continue
		}
		sa, _ := schemaAttribute(p, a.Name)
		if err := checkAttributeValue(sa, a.Value); err != nil {
			return err
		}
	}
	return nil
}

// clientMayWrite applies an app client's WriteAttributes (unset = every
// attribute). The *_verified flags and developer-only attributes are never
// client-writable.
func clientMayWrite(c *storage.Client, name string) bool {
	if isVerifiedFlag(name) || strings.HasPrefix(name, "dev:") {
		return false
	}
	return c == nil || c.WriteAttributes == nil || slices.Contains(c.WriteAttributes, name)
}

// checkAttributeValue checks a non-empty value against its type.
func checkAttributeValue(sa storage.SchemaAttribute, v string) error {
	switch sa.Name {
	case "email":
		if !looksLikeEmail(v) {
			return exception.New(exception.InvalidParameter, "Invalid email address format.")
		}
		return nil
	case "phone_number":
		if !looksLikePhone(v) {
			return exception.New(exception.InvalidParameter, "Invalid phone number format.")
		}
		return nil
	}
	switch sa.AttributeDataType {
	case "Boolean":
		if !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
			return schemaError("%s: Value must be true or false", sa.Name)
		}
	case "Number":
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return schemaError("%s: Number must be a valid number", sa.Name)
		}
		if sa.MinValue != nil && n < float64(*sa.MinValue) {
			return schemaError("%s: Number must be no less than %d", sa.Name, *sa.MinValue)
		}
		if sa.MaxValue != nil && n > float64(*sa.MaxValue) {
			return schemaError("%s: Number must be no greater than %d", sa.Name, *sa.MaxValue)
		}
	default:
		n := utf8.RuneCountInString(v)
		if sa.MinLength != nil && n < *sa.MinLength {
			return schemaError("%s: String must be no shorter than %d characters", sa.Name, *sa.MinLength)
		}
		if sa.MaxLength != nil && n > *sa.MaxLength {
			return schemaError("%s: String must be no longer than %d characters", sa.Name, *sa.MaxLength)
		}
	}
	return nil
}

// checkRequired reports the pool's required attributes u lacks.
func checkRequired(p storage.Pool, u storage.User) error {
	var missing []string
	for _, a := range p.Schema {
		if a.Required && a.Name != "sub" && u.Attributes[a.Name] == "" {
			missing = append(missing, a.Name+": The attribute is required")
		}
	}
	if len(missing) > 0 {
		return schemaError("%s", strings.Join(missing, "\n"))
	}
	return nil
}

// applyAttributes writes validated attrs onto u. An empty value deletes the
// attribute (and, for a contact, its verified flag). A contact whose value
// changes becomes unverified unless the same write sets its flag; on
// creation the flag is only what was passed (spec §7.2). It returns the
// contact attributes whose value changed.
func applyAttributes(u *storage.User, attrs []UserAttribute, mode writeMode) (changed []string) {
	if u.Attributes == nil {
		u.Attributes = map[string]string{}
	}
	explicit := map[string]bool{}
	for _, a := range attrs {
		explicit[a.Name] = true
	}
	for _, a := range attrs {
		old, had := u.Attributes[a.Name]
		switch {
		case a.Value == "":
			delete(u.Attributes, a.Name)
			if a.Name == "email" || a.Name == "phone_number" {
				if !explicit[a.Name+"_verified"] {
					delete(u.Attributes, a.Name+"_verified")
				}
			}
		case isVerifiedFlag(a.Name):
			u.Attributes[a.Name] = strings.ToLower(a.Value)
		default:
			u.Attributes[a.Name] = a.Value
		}
		if (a.Name == "email" || a.Name == "phone_number") && a.Value != "" && (!had || old != a.Value) {
			if !slices.Contains(changed, a.Name) {
				changed = append(changed, a.Name)
			}
			if !explicit[a.Name+"_verified"] && !mode.creating() {
				u.Attributes[a.Name+"_verified"] = "false"
			}
		}
	}
	return changed
}

// holdsAsSignIn reports whether u's value of attr identifies u at sign-in:
// always for UsernameAttributes and preferred_username, once verified for
// an email or phone alias.
func holdsAsSignIn(p storage.Pool, u storage.User, attr string) bool {
	if u.Attributes[attr] == "" {
		return false
	}
	if slices.Contains(p.UsernameAttrs, attr) {
		return true
	}
	return slices.Contains(p.AliasAttrs, attr) && isVerified(u, attr)
}

// clash is another user holding a sign-in value u is about to hold.
type clash struct {
	Owner storage.User
	Attr  string
}

// signInClashes finds the other users holding, as a sign-in name, a value u
// will hold for one of attrs.
func (s *Service) signInClashes(ctx context.Context, p storage.Pool, u storage.User, attrs []string) ([]clash, error) {
	var out []clash
	for _, attr := range attrs {
		if !holdsAsSignIn(p, u, attr) {
			continue
		}
		fold := attr == "email" || !p.CaseSensitive
		others, err := s.Store.FindUsersByAttribute(ctx, p.ID, attr, u.Attributes[attr], fold)
		if err != nil {
			return nil, fmt.Errorf("find users by %s: %w", attr, err)
		}
		for _, o := range others {
			if o.UsernameKey != u.UsernameKey && holdsAsSignIn(p, o, attr) {
				out = append(out, clash{Owner: o, Attr: attr})
			}
		}
	}
	return out, nil
}

// verifyClashes is signInClashes for u as it will be once attr is verified:
// a verified email or phone alias is a sign-in name another user may hold.
func (s *Service) verifyClashes(ctx context.Context, p storage.Pool, u storage.User, attr string) ([]clash, error) {
	verified := u
	verified.Attributes = maps.Clone(u.Attributes)
	verified.Attributes[attr+"_verified"] = "true"
	return s.signInClashes(ctx, p, verified, []string{attr})
}

// identifyingAttrs are the attributes that may serve as sign-in names.
var identifyingAttrs = []string{"email", "phone_number", "preferred_username"}

// resolveClashes turns clashes into the write's error, or, with force
// (ForceAliasCreation), into the aliases to take from their owners. In
// UsernameAttributes pools the value is the user's sign-in name itself:
// creating gets UsernameExistsException, other writes AliasExistsException.
func resolveClashes(p storage.Pool, clashes []clash, creating, force bool) ([]clash, error) {
	var moves []clash
	for _, c := range clashes {
		switch {
		case creating && slices.Contains(p.UsernameAttrs, c.Attr):
			return nil, exception.Newf(exception.UsernameExists, "An account with the given %s already exists.", c.Attr)
		case force && movableAlias(p, c.Attr):
			moves = append(moves, c)
		default:
			return nil, aliasExists(c.Attr)
		}
	}
	return moves, nil
}

// takeAliases applies resolveClashes' moves.
func (s *Service) takeAliases(ctx context.Context, p storage.Pool, moves []clash) error {
	for _, m := range moves {
		if err := s.takeAlias(ctx, p, m.Owner, m.Attr); err != nil {
			return err
		}
	}
	return nil
}

// movableAlias reports whether ForceAliasCreation may take attr from its
// owner: only verified email / phone aliases move, by unverifying them.
func movableAlias(p storage.Pool, attr string) bool {
	return (attr == "email" || attr == "phone_number") && slices.Contains(p.AliasAttrs, attr) && !slices.Contains(p.UsernameAttrs, attr)
}

func aliasExists(attr string) error {
	return exception.Newf(exception.AliasExists, "An account with the given %s already exists.", attr)
}

// takeAlias unverifies attr on its previous owner (ForceAliasCreation).
func (s *Service) takeAlias(ctx context.Context, p storage.Pool, owner storage.User, attr string) error {
	err := s.Store.UpdateUser(ctx, p.ID, owner.UsernameKey, func(o *storage.User) error {
		if o.Attributes[attr+"_verified"] != "true" {
			return storage.ErrNoChange
		}
		o.Attributes[attr+"_verified"] = "false"
		o.LastModifiedAt = s.Clock.Now()
		return nil
	})
	if err != nil {
		return fmt.Errorf("move alias %s: %w", attr, err)
	}
	return nil
}

// attributeList returns u's attributes in a stable order: sub first, then
// by name, as Cognito lists them. keep filters names (nil = all).
func attributeList(u storage.User, keep func(name string) bool) []UserAttribute {
	names := make([]string, 0, len(u.Attributes))
	for n := range u.Attributes {
		if n != "sub" {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	out := make([]UserAttribute, 0, len(names)+1)
	if sub := u.Attributes["sub"]; sub != "" || u.Sub != "" {
		if sub == "" {
			sub = u.Sub
		}
		if keep == nil || keep("sub") {
			out = append(out, UserAttribute{Name: "sub", Value: sub})
		}
	}
	for _, n := range names {
		if keep == nil || keep(n) {
			out = append(out, UserAttribute{Name: n, Value: u.Attributes[n]})
		}
	}
	return out
}

// Attributes returns u's attributes, sub first, as the admin APIs show them.
func Attributes(u storage.User) []UserAttribute { return attributeList(u, nil) }

// ReadableAttributes returns the attributes of u the client may read
// (ReadAttributes; unset = all). sub is always readable.
func ReadableAttributes(c storage.Client, u storage.User) []UserAttribute {
	if c.ReadAttributes == nil {
		return attributeList(u, nil)
	}
	return attributeList(u, func(n string) bool { return n == "sub" || slices.Contains(c.ReadAttributes, n) })
}

// updateAttributes writes attrs onto an existing user (an empty value
// deletes). A changed contact that the pool auto-verifies and the write does
// not mark verified gets a verification code; their deliveries are returned.
func (s *Service) updateAttributes(ctx context.Context, p storage.Pool, c *storage.Client, u storage.User, attrs []UserAttribute, mode writeMode) ([]CodeDelivery, error) {
	if err := validateAttributes(p, c, attrs, mode); err != nil {
		return nil, err
	}
	next := u
	next.Attributes = maps.Clone(u.Attributes)
	changed := applyAttributes(&next, attrs, mode)
	if err := checkRequired(p, next); err != nil {
		return nil, err
	}
	var check []string
	for _, a := range attrs {
		name := strings.TrimSuffix(a.Name, "_verified")
		if slices.Contains(identifyingAttrs, name) && !slices.Contains(check, name) {
			check = append(check, name)
		}
	}
	clashes, err := s.signInClashes(ctx, p, next, check)
	if err != nil {
		return nil, err
	}
	if _, err := resolveClashes(p, clashes, false, false); err != nil {
		return nil, err
	}
	type pending struct {
		to   contact
		code string
	}
	var codes []pending
	for _, attr := range changed {
		if slices.Contains(p.AutoVerified, attr) && next.Attributes[attr+"_verified"] != "true" {
			to, _ := contactFor(next, attr)
			codes = append(codes, pending{to, s.newCode()})
		}
	}
	now := s.Clock.Now()
	var out storage.User
	err = s.Store.UpdateUser(ctx, p.ID, u.UsernameKey, func(x *storage.User) error {
		for _, attr := range applyAttributes(x, attrs, mode) {
			// A code sent for the old value must not verify the new one.
			clearCode(x, purposeVerify(attr))
		}
		for _, pc := range codes {
			setCode(x, purposeVerify(pc.to.Attr), pc.code, now, verifyCodeTTL)
		}
		x.LastModifiedAt = now
		out = *x
		return nil
	})
	if err := updateUserErr("update attributes", err); err != nil {
		return nil, err
	}
	deliveries := []CodeDelivery{}
	for _, pc := range codes {
		if err := s.send(ctx, p, out, KindVerificationCode, pc.to, pc.code); err != nil {
			return nil, err
		}
		deliveries = append(deliveries, *delivery(pc.to))
	}
	return deliveries, nil
}

// selfService resolves an access token to the user and the client it was
// issued to, whose attribute permissions apply.
func (s *Service) selfService(ctx context.Context, accessToken string) (storage.Pool, storage.Client, storage.User, error) {
	p, u, claims, err := s.UserFromAccessToken(ctx, accessToken)
	if err != nil {
		return p, storage.Client{}, u, err
	}
	c, err := s.Store.GetClient(ctx, claims.ClientID)
	if errors.Is(err, storage.ErrNotFound) {
		return p, c, u, errTokenRevoked
	}
	if err != nil {
		return p, c, u, fmt.Errorf("get client: %w", err)
	}
	return p, c, u, nil
}

// AdminUpdateUserAttributes writes attributes as an administrator: the
// *_verified flags may be set; a changed email or phone becomes unverified
// unless the same call verifies it (spec §7.2).
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, poolID, username string, attrs []UserAttribute) error {
	p, u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	_, err = s.updateAttributes(ctx, p, nil, u, attrs, writeAdminUpdate)
	return err
}

// UpdateUserAttributes writes the signed-in user's attributes under the
// client's WriteAttributes and returns where verification codes went.
func (s *Service) UpdateUserAttributes(ctx context.Context, accessToken string, attrs []UserAttribute) ([]CodeDelivery, error) {
	p, c, u, err := s.selfService(ctx, accessToken)
	if err != nil {
		return nil, err
	}
	return s.updateAttributes(ctx, p, &c, u, attrs, writeSelfUpdate)
}

func deletions(names []string) []UserAttribute {
	out := make([]UserAttribute, len(names))
	for i, n := range names {
		out[i] = UserAttribute{Name: n}
	}
	return out
}

// AdminDeleteUserAttributes deletes attributes as an administrator.
func (s *Service) AdminDeleteUserAttributes(ctx context.Context, poolID, username string, names []string) error {
	p, u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	_, err = s.updateAttributes(ctx, p, nil, u, deletions(names), writeAdminUpdate)
	return err
}

// DeleteUserAttributes deletes the signed-in user's attributes.
func (s *Service) DeleteUserAttributes(ctx context.Context, accessToken string, names []string) error {
	p, c, u, err := s.selfService(ctx, accessToken)
	if err != nil {
		return err
	}
	_, err = s.updateAttributes(ctx, p, &c, u, deletions(names), writeSelfUpdate)
	return err
}

// verifiableContact returns the user's contact attr, which must be email or
// phone_number and have a value.
func verifiableContact(u storage.User, attr string) (contact, error) {
	if attr != "email" && attr != "phone_number" {
		return contact{}, exception.Newf(exception.InvalidParameter, "Invalid attribute name %s: only email and phone_number can be verified.", attr)
	}
	to, ok := contactFor(u, attr)
	if !ok {
		return contact{}, exception.Newf(exception.InvalidParameter, "User has no value for attribute %s.", attr)
	}
	return to, nil
}

// GetUserAttributeVerificationCode sends the signed-in user a code for
// their email or phone number; 5 an hour (spec §11.2).
func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, accessToken, attr string) (*CodeDelivery, error) {
	p, u, _, err := s.UserFromAccessToken(ctx, accessToken)
	if err != nil {
		return nil, err
	}
	to, err := verifiableContact(u, attr)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	code := s.newCode()
	err = s.countedUpdate(ctx, p, u, now, "GetUserAttributeVerificationCode", "attribute verification code", func(x *storage.User) error {
		setCode(x, purposeVerify(attr), code, now, verifyCodeTTL)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.send(ctx, p, u, KindVerificationCode, to, code); err != nil {
		return nil, err
	}
	return delivery(to), nil
}

// VerifyUserAttribute marks the signed-in user's email or phone number
// verified with the code sent for it; 15 attempts an hour (spec §11.2).
func (s *Service) VerifyUserAttribute(ctx context.Context, accessToken, attr, code string) error {
	p, u, _, err := s.UserFromAccessToken(ctx, accessToken)
	if err != nil {
		return err
	}
	to, err := verifiableContact(u, attr)
	if err != nil {
		return err
	}
	clashes, err := s.verifyClashes(ctx, p, u, attr)
	if err != nil {
		return err
	}
	_, aliasErr := resolveClashes(p, clashes, false, false)
	now := s.Clock.Now()
	return s.countedUpdate(ctx, p, u, now, "VerifyUserAttribute", "verify attribute", func(x *storage.User) error {
		if err := checkCode(*x, purposeVerify(attr), code, now); err != nil {
			return err
		}
		if aliasErr != nil {
			return aliasErr
		}
		if x.Attributes[attr] != to.Dest {
			// The value changed since the code was sent for it.
			return errExpiredCode
		}
		clearCode(x, purposeVerify(attr))
		x.Attributes[attr+"_verified"] = "true"
		x.LastModifiedAt = now
		return nil
	})
}
